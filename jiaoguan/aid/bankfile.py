"""The bank file of a disbursement batch (.xlsx): full ID and account numbers, one row per
payment. Its headers are the payment-results import's columns, so the bank (or 核算中心)
fills in 发放结果 and 失败原因 and the same file comes back."""
from __future__ import annotations

import io

from jiaoguan.core.excel import write_rows

from .models import Batch
from .programmes import programmes

HEADERS = ["序号", "批次号", "学期", "学校", "姓名", "身份证号", "资助项目", "金额（元）", "开户人", "开户银行", "银行账号",
           "发放结果", "失败原因"]
TEXT_COLUMNS = [1, 5, 10]


def payment_rows(batch: Batch):
    table = programmes()
    qs = (batch.payments.select_related("entitlement__pupil", "entitlement__school")
          .order_by("entitlement__school__code", "entitlement__programme", "entitlement__pupil__name", "pk"))
    for n, p in enumerate(qs.iterator(chunk_size=2000), start=1):
        e = p.entitlement
        done = {"paid": "成功", "failed": "失败"}.get(p.result, "")
        yield [n, batch.number, batch.term.code, e.school.name, e.pupil.name, e.pupil.id_number or "",
               table.programmes[e.programme].short, float(p.amount), p.holder, p.bank, p.account_number, done, p.reason]


def write_bank_file(batch: Batch) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    n = write_rows(buffer, f"{batch.number}代发", HEADERS, payment_rows(batch), text_columns=TEXT_COLUMNS)
    return buffer.getvalue(), n


def filename(batch: Batch) -> str:
    return f"资助代发_{batch.number}.xlsx"
