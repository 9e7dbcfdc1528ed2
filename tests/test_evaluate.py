"""`jiaoguan evaluate` on a spreadsheet, without the web: exit codes, JSON, the CV workbook."""
import json

import fastexcel
import pytest
from django.core.management import call_command

HEADER = ("school_code,school_name,county_code,school_type,students_primary,students_junior,teaching_area,sports_area,"
          "equipment_value,computers,books,multimedia_rooms,teachers_primary,teachers_junior,qualified_primary,qualified_junior,"
          "midtitle_primary,midtitle_junior,backbone_primary,backbone_junior,pe_art_primary,pe_art_junior")
ROWS = [
    "4303210001,一小,430321,小学,1000,,4200,7000,2100000,120,25000,25,55,,53,,30,,12,,9,",
    "4303210002,二小,430321,小学,300,,900,2600,500000,30,6000,5,18,,16,,8,,2,,2,",
    "4303210003,九年一贯,430321,九年一贯制,600,400,5000,9000,2200000,110,22000,22,34,30,33,29,15,16,5,4,6,4",
    "4303210004,一中,430321,初中,,900,5400,9500,2600000,100,30000,22,,70,,66,,40,,10,,8",
    "4301210001,星沙小学,430121,小学,500,,2500,4000,1000000,50,10000,12,28,,28,,14,,5,,5,",
]


def write(tmp_path, rows, name="facts.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def run(capsys, *args):
    try:
        call_command("evaluate", *map(str, args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_per_county_and_stage(tmp_path, capsys):
    code, out, _ = run(capsys, write(tmp_path, ROWS), "--standard", "quality-2017", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["standard"] == "quality-2017"
    assert [c["county_code"] for c in data["counties"]] == ["430121", "430321"]
    xiangtan = data["counties"][1]
    assert [s["stage"] for s in xiangtan["stages"]] == ["primary", "junior"]
    primary = xiangtan["stages"][0]
    assert primary["schools"] == 3 and primary["pupils"] == 1900
    area = next(i for i in primary["indicators"] if i["id"] == "teaching_area_per_pupil")
    # county value = (4200 + 900 + 5000·600/1040) ÷ 1900
    assert area["county_value"] == pytest.approx((4200 + 900 + 5000 * 600 / 1040) / 1900)
    assert area["cv_limit"] == 0.5
    school = next(s for s in data["schools"] if s["school_code"] == "4303210002")
    ind = next(i for i in school["indicators"] if i["id"] == "teaching_area_per_pupil")
    assert ind["value"] == pytest.approx(3.0) and ind["met"] is False and ind["gap"] == pytest.approx(450.0)


def test_failing_verdicts_still_exit_zero(tmp_path, capsys):
    code, out, _ = run(capsys, write(tmp_path, ROWS), "--standard", "quality-2017")
    assert code == 0 and "学校达标" in out


@pytest.mark.parametrize("row,message", [
    ("4303210009,坏,430321,小学,100,,-5,,,,,,,,,,,,,,,", "第2行：「教学及辅助用房面积」不能为负数"),
    ("4303210009,坏,430321,大学,100,,,,,,,,,,,,,,,,,", "第2行：「学校类型」不在可选范围内"),
    ("4303210009,坏,430321,小学,一百,,,,,,,,,,,,,,,,,", "第2行：「小学在校生数」应为数字"),
    ("430321009,坏,430321,小学,100,,,,,,,,,,,,,,,,,", "第2行：「学校标识码」学校标识码应为10位数字"),
])
def test_bad_facts_exit_2_with_row_and_column(tmp_path, capsys, row, message):
    code, out, err = run(capsys, write(tmp_path, [row]))
    assert code == 2 and message in err and out == ""


def test_missing_columns_and_duplicates(tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text("school_code,school_name\n4303210001,x\n", encoding="utf-8")
    code, _, err = run(capsys, path)
    assert code == 2 and "缺少必填列：县区代码、学校类型" in err
    code, _, err = run(capsys, write(tmp_path, [ROWS[0], ROWS[0]]))
    assert code == 2 and "第3行：「学校标识码」4303210001重复出现" in err


def test_zero_pupils_reported(tmp_path, capsys):
    code, out, _ = run(capsys, write(tmp_path, [ROWS[0], "4303210005,空校,430321,小学,0,,100,,,,,,,,,,,,,,,"]), "--format", "json")
    assert code == 0
    assert json.loads(out)["excluded"][0]["reason"] == "小学在校生数为0，未参与计算（不能以0作除数）"


def test_cv_workbook(tmp_path, capsys):
    out_path = tmp_path / "cv.xlsx"
    code, _, _ = run(capsys, write(tmp_path, ROWS), "--format", "xlsx", "--out", out_path)
    assert code == 0
    reader = fastexcel.read_excel(str(out_path))
    assert reader.sheet_names == ["430121小学", "430321小学", "430321初中"]
    sheet = reader.load_sheet(1, header_row=None, dtypes="string").to_polars()
    labels = sheet.to_series(2).to_list()
    assert "差异系数 CV = S ÷ 县域值" in labels and "一小" in labels
