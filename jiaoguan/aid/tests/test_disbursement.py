"""The bank file (full numbers only in the file, the export audited with its row count), the
payment results imported back, failed payments re-issued once the account is corrected."""
from decimal import Decimal

import pytest

from jiaoguan.aid import actions
from jiaoguan.aid.models import BankAccount, Batch, BatchStatus, Entitlement, Payment, PaymentStatus
from jiaoguan.aid.permissions import AidError
from jiaoguan.core.importing import ImportContext, run_import
from jiaoguan.core.models import AuditLog
from tests.xlsx import read_error_workbook, write_xlsx

from .conftest import login, read_xlsx
from .helpers import PAY_DAY, populate, term, to_published

RESULT_HEADERS = ["批次号", "身份证号", "姓名", "资助项目", "金额（元）", "发放结果", "失败原因"]


@pytest.fixture
def batch(world):
    world["pupils"] = populate(world)
    to_published(world, [world["junior"], world["schools"][0], world["senior"]])
    return actions.create_batch(term(), user=world["users"]["zizhu"], today=PAY_DAY).batch


def results_file(path, batch, rows):
    return write_xlsx(path, RESULT_HEADERS, [[batch.number, p.id_number, p.name, prog, amount, result, reason]
                                             for p, prog, amount, result, reason in rows])


def import_results(world, path, user="zizhu"):
    return run_import("aid_payments", path, ImportContext(user=world["users"][user], year=world["years"][1]))


def test_the_batch_holds_bank_lines_and_school_lines(world, batch):
    # boarder 750 + day pupil 375 + orphan 312.5 + recognised 312.5 + senior grant 1150 by bank;
    # meals and the fee waiver to the school
    assert (batch.rows, batch.amount) == (5, Decimal("2900.00"))
    assert (batch.school_rows, batch.school_amount) == (2, Decimal("2300.00"))
    assert batch.number == "2026秋季-430321-01" and batch.status == BatchStatus.CREATED


def test_bank_file_has_full_numbers_and_the_export_is_audited(world, batch):
    client = login("zizhu")
    page = client.get(f"/aid/batches/{batch.pk}/").content.decode()
    boarder = world["pupils"]["boarder"]
    account = BankAccount.objects.get(pupil=boarder).number
    assert boarder.id_number not in page and boarder.id_number[:6] + "********" + boarder.id_number[-4:] in page
    assert account not in page and account[:4] + "*" * (len(account) - 8) + account[-4:] in page
    response = client.get(f"/aid/batches/{batch.pk}/bank.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    frame = read_xlsx(response.content)
    assert frame.columns == ["序号", "批次号", "学期", "学校", "姓名", "身份证号", "资助项目", "金额（元）", "开户人", "开户银行",
                             "银行账号", "发放结果", "失败原因"]
    assert frame.height == 5
    row = frame.filter(frame["姓名"] == "住校低保生").row(0, named=True)
    assert row["身份证号"] == boarder.id_number and row["银行账号"] == account
    assert row["资助项目"] == "寄宿生生活补助" and float(row["金额（元）"]) == 750 and row["学期"] == "2026秋季"
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT_PII, object_id=str(batch.pk))
    assert log.row_count == 5 and log.user.username == "zizhu" and log.detail["amount"] == "2900.00"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED and batch.exported_at


@pytest.mark.parametrize("who, status", [("leader", 403), ("school_junior", 404), ("inspector", 404)])
def test_only_the_aid_office_exports(world, batch, who, status):
    assert login(who).get(f"/aid/batches/{batch.pk}/bank.xlsx").status_code == status
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT_PII).exists()


def test_results_come_back_and_failures_are_reissued_after_the_account_is_corrected(world, batch, tmp_path):
    p = world["pupils"]
    path = results_file(tmp_path / "回盘.xlsx", batch, [
        (p["boarder"], "寄宿生生活补助", "750", "成功", ""),
        (p["day"], "非寄宿生生活补助", "375", "成功", ""),
        (p["orphan"], "非寄宿生生活补助", "312.5", "失败", "账户已销户"),
        (p["recognised"], "非寄宿生生活补助", "312.50", "成功", ""),
        (p["senior"], "普通高中国家助学金", "1150", "成功", ""),
    ])
    result = import_results(world, path)
    assert result.ok, result.error_lines()
    assert (result.created, result.updated, result.unchanged) == (0, 5, 0)
    orphan = Entitlement.objects.get(pupil=p["orphan"])
    assert orphan.payment_status == PaymentStatus.FAILED
    assert Payment.objects.get(entitlement=orphan).reason == "账户已销户"
    assert Entitlement.objects.get(pupil=p["boarder"]).payment_status == PaymentStatus.PAID
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, object_type="资助发放结果", row_count=5).exists()
    # the same file again changes nothing
    assert import_results(world, path).unchanged == 5
    # re-issue waits for a corrected account
    with pytest.raises(AidError, match="1条发放失败的记录账户尚未更正"):
        actions.create_batch(term(), user=world["users"]["zizhu"], reissue=True, today=PAY_DAY)
    with pytest.raises(AidError, match="银行账号应为12–30位数字"):
        actions.update_account(p["orphan"], user=world["users"]["school_a"], holder="城区孤儿监护人", bank="中国农业银行", number="123")
    actions.update_account(p["orphan"], user=world["users"]["school_a"], holder="城区孤儿监护人", bank="中国农业银行",
                           number="6228 4800 1234 5678 901")
    again = actions.create_batch(term(), user=world["users"]["zizhu"], reissue=True, today=PAY_DAY).batch
    assert again.reissue and again.number == "2026秋季-430321-02" and (again.rows, again.amount) == (1, Decimal("312.50"))
    assert Payment.objects.get(batch=again).account_number == "6228480012345678901"
    path2 = results_file(tmp_path / "补发回盘.xlsx", again, [(p["orphan"], "非寄宿生生活补助", "312.5", "成功", "")])
    assert import_results(world, path2).ok
    orphan.refresh_from_db()
    assert orphan.payment_status == PaymentStatus.PAID and orphan.batch == again


def test_bad_results_files_are_refused_and_nothing_is_written(world, batch, tmp_path):
    p = world["pupils"]
    path = results_file(tmp_path / "回盘.xlsx", batch, [
        (p["boarder"], "寄宿生生活补助", "750", "成功", ""),
        (p["orphan"], "非寄宿生生活补助", "500", "成功", ""),         # amount differs from the batch
        (p["recognised"], "非寄宿生生活补助", "312.5", "失败", ""),   # failed without a reason
        (p["city"], "非寄宿生生活补助", "312.5", "成功", ""),         # not in this batch
        (p["senior"], "助学补贴", "1150", "成功", ""),                # unknown programme
    ])
    result = import_results(world, path)
    assert not result.ok
    errors = read_error_workbook(result.error_file)
    assert "500元与批次记录的312.5元不一致" in errors[3]
    assert "发放失败须填写失败原因" in errors[4]
    assert "批次2026秋季-430321-01中没有该生的「非寄宿生生活补助」发放记录" in errors[5]
    assert "资助项目“助学补贴”不存在" in errors[6]
    assert not Payment.objects.exclude(result="pending").exists()
    assert Entitlement.objects.get(pupil=p["boarder"]).payment_status == PaymentStatus.PENDING
    # and only the office may import results
    refused = import_results(world, results_file(tmp_path / "x.xlsx", batch, [(p["boarder"], "寄宿生生活补助", "750", "成功", "")]),
                             user="school_junior")
    assert not refused.ok and "只有学生资助中心可以导入发放结果" in refused.error_lines()[0]


def test_lines_without_an_account_wait(world):
    world["pupils"] = populate(world)
    BankAccount.objects.filter(pupil=world["pupils"]["senior"]).delete()
    to_published(world, [world["senior"]])
    result = actions.create_batch(term(), user=world["users"]["zizhu"], today=PAY_DAY)
    assert result.no_account == 1 and "1条缺少银行账户，未纳入" in result.summary()
    assert result.batch.rows == 0 and result.batch.school_rows == 1  # the fee waiver still lands
    assert Batch.objects.count() == 1
