"""Writing test workbooks cell by cell, including the mistakes users make (numbers in ID columns)."""
import fastexcel
import xlsxwriter

from jiaoguan.core.importing import get_importer

PUPIL_HEADERS = ["学校标识码", "全国学籍号", "身份证号", "姓名", "性别", "出生日期", "年级", "班级"]


def write_xlsx(path, headers, rows, *, sheet="学生"):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value)
    wb.close()
    return path


def read_error_workbook(path):
    """{excel row number: message} from an error workbook."""
    frame = fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string").to_polars()
    return {int(float(r)): (m or "") for r, m in zip(frame["原表行号"].to_list(), frame["错误说明"].to_list())}


def pupil_row(school, idn, name="张三", sex=None, birth=None, grade="三年级", cls="1班"):
    from jiaoguan.core.idnumbers import id_birth_date, id_sex

    return [school, "G" + idn, idn, name, sex or id_sex(idn), birth or id_birth_date(idn).isoformat(), grade, cls]


def columns(kind):
    return get_importer(kind).columns
