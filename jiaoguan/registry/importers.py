"""Import files for the registry: schools, school facts, classes, pupils, teachers.

Natural keys: 学校标识码; (school, year) for facts; (school, year, grade, name) for classes;
全国学籍号 for pupils and (pupil, year) for their enrolment; 身份证号 for teachers and
(teacher, year, section) for their posting.
"""
from __future__ import annotations

import datetime

import polars as pl

from jiaoguan.core import idnumbers
from jiaoguan.core.excel import Column
from jiaoguan.core.importing import ImportContext, Importer, RowErrors, register
from jiaoguan.core.models import OrgUnit
from jiaoguan.core.upsert import combine, select_in, upsert
from jiaoguan.indicators.grades import GRADE_LABELS, typical_age

from . import models as m


def _choices(enum) -> dict:
    return {label: value for value, label in enum.choices}


YES_NO = "填“是”或“否”，空白视为“否”"


def school_code_column(note="学校的10位学校标识码（教育部统一编码）") -> Column:
    return Column("school_code", "学校标识码", required=True, text=True, kind="school_code", note=note, example="4303210001")


def _row_dicts(rows: pl.DataFrame) -> list[dict]:
    return rows.to_dicts()


def check_schools_in_scope(rows: pl.DataFrame, errors: RowErrors, ctx: ImportContext, label="学校标识码", column="school_code") -> dict:
    """Map school codes to schools the user may write; record an error for any other code."""
    codes = [c for c in rows[column].unique().to_list() if c]
    visible = {s.code: s for s in m.School.objects.restrict(ctx.user).filter(code__in=codes)}
    unknown = set(codes) - set(visible)
    if unknown:
        existing = set(m.School.objects.filter(code__in=unknown).values_list("code", flat=True))
        for i, code in enumerate(rows[column].to_list()):
            if code in existing:
                errors.add(i, label, f"无权导入学校{code}的数据（不在您的管辖范围内）")
            elif code in unknown:
                errors.add(i, label, f"学校标识码{code}不存在，请先导入学校名录")
    return visible


def check_duplicates(rows: pl.DataFrame, keys: list[str], errors: RowErrors, label: str, what: str) -> None:
    dup = (
        rows.select(keys).with_row_index("i")
        .filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
        .with_columns(first=pl.col("i").min().over(keys))
        .filter(pl.col("i") != pl.col("first"))
    )
    for i, first in dup.select("i", "first").iter_rows():
        errors.add(i, label, f"与第{first + 2}行{what}重复")


@register
class SchoolImporter(Importer):
    kind = "schools"
    title = "学校名录"
    intro = "每行一所学校（含教学点）。教学点须填写所属学校的标识码。所在乡镇（街道）可填名称或区划代码。"
    columns = [
        school_code_column(),
        Column("name", "学校名称", required=True, note="学校全称", example="湘潭县易俗河镇第一小学", width=30),
        Column("org_unit", "所在乡镇（街道）", required=True, note="乡镇（街道）名称或区划代码", example="易俗河镇", width=16),
        Column("type", "学校类型", required=True, kind="choice", choice_map=_choices(m.SchoolType), note="学校类型", example="小学"),
        Column("parent", "所属学校标识码", text=True, kind="school_code", note="仅教学点填写：所属完小或中心校的标识码"),
        Column("location", "城乡分类", required=True, kind="choice", choice_map=_choices(m.Location), note="按统计用城乡划分代码归类", example="镇区"),
        Column("ownership", "办学性质", required=True, kind="choice", choice_map=_choices(m.Ownership), note="公办、民办或普惠性民办", example="公办"),
        Column("address", "地址", note="学校地址", max_len=200, width=30),
        Column("principal", "校长", note="校长姓名", max_len=30),
        Column("phone", "联系电话", kind="phone", note="学校联系电话", example="0731-57812345"),
    ]

    def check(self, rows, errors, warnings, ctx):
        check_duplicates(rows, ["school_code"], errors, "学校标识码", "学校标识码")
        user = ctx.user
        from jiaoguan.core.scope import unrestricted

        if getattr(user, "role", "") == "school_admin" and not unrestricted(user):
            own = user.school.code if user.school_id else None
            for i, code in enumerate(rows["school_code"].to_list()):
                if code != own:
                    errors.add(i, "学校标识码", "学校管理员只能修改本校信息，不能新增或修改其他学校")
        units = OrgUnit.objects.all()
        if not unrestricted(user) and getattr(user, "org_unit_id", None):
            units = user.org_unit.subtree()
        by_code = {u.code: u for u in units}
        by_name = {}
        for u in units:
            by_name.setdefault(u.name, []).append(u)
        self._units = []
        for i, value in enumerate(rows["org_unit"].to_list()):
            unit = None
            if value:
                if value in by_code:
                    unit = by_code[value]
                elif len(by_name.get(value, [])) == 1:
                    unit = by_name[value][0]
                elif len(by_name.get(value, [])) > 1:
                    errors.add(i, "所在乡镇（街道）", f"名称“{value}”不唯一，请填写区划代码")
                else:
                    errors.add(i, "所在乡镇（街道）", f"“{value}”不在您管辖的区划中")
            self._units.append(unit)
        file_codes = set(rows["school_code"].to_list())
        parents = [p for p in rows["parent"].to_list() if p]
        known = set(m.School.objects.filter(code__in=parents).values_list("code", flat=True)) | file_codes
        for i, (t, parent) in enumerate(zip(rows["type"].to_list(), rows["parent"].to_list())):
            if t == m.SchoolType.TEACHING_POINT and not parent:
                errors.add(i, "所属学校标识码", "教学点必须填写所属学校的标识码")
            elif parent and parent not in known:
                errors.add(i, "所属学校标识码", f"所属学校{parent}不存在")

    def write(self, rows, ctx):
        fields = ["code", "name", "org_unit_id", "type", "location", "ownership", "address", "principal", "phone"]
        data = []
        for row, unit in zip(_row_dicts(rows), self._units):
            data.append({
                "code": row["school_code"], "name": row["name"], "org_unit_id": unit.pk, "type": row["type"],
                "location": row["location"], "ownership": row["ownership"], "address": row["address"] or "",
                "principal": row["principal"] or "", "phone": row["phone"] or "",
            })
        codes = [d["code"] for d in data]
        # save() computes the pinyin initials, so schools (a few hundred) are saved one by one
        existing = {s.code: s for s in m.School.objects.filter(code__in=codes)}
        created = updated = unchanged = 0
        for d in data:
            s = existing.get(d["code"])
            if s is None:
                m.School(**d).save()
                created += 1
            elif any(getattr(s, f) != d[f] for f in fields):
                for f in fields:
                    setattr(s, f, d[f])
                s.save()
                updated += 1
            else:
                unchanged += 1
        # parents after all schools exist
        by_code = dict(m.School.objects.filter(code__in=codes + [p for p in rows["parent"].to_list() if p]).values_list("code", "pk"))
        for row in _row_dicts(rows):
            parent_id = by_code.get(row["parent"]) if row["parent"] else None
            m.School.objects.filter(code=row["school_code"]).exclude(parent_id=parent_id).update(parent_id=parent_id)
        return created, updated, unchanged


FACT_FIELDS = [
    ("land_area", "占地面积（㎡）", "decimal"),
    ("building_area", "校舍建筑面积（㎡）", "decimal"),
    ("teaching_area", "教学及辅助用房面积（㎡）", "decimal"),
    ("sports_area", "体育运动场馆面积（㎡）", "decimal"),
    ("equipment_value", "教学仪器设备值（元）", "decimal"),
    ("computers", "计算机台数", "int"),
    ("books", "图书册数", "int"),
    ("multimedia_rooms", "网络多媒体教室间数", "int"),
    ("music_rooms", "音乐专用教室间数", "int"),
    ("art_rooms", "美术专用教室间数", "int"),
    ("public_funds_budget", "公用经费预算（元）", "decimal"),
    ("training_spend", "教师培训支出（元）", "decimal"),
]


@register
class FactsImporter(Importer):
    kind = "facts"
    title = "学校办学条件"
    intro = "每行一所学校在所选学年的办学条件（全校合计，九年一贯制等学校不必拆分学段，系统按规定权重拆分）。"
    columns = [school_code_column(), Column("school_name", "学校名称", note="仅供核对，不导入", width=30)] + [
        Column(key, label, kind=kind, note=label.split("（")[0] + ("，全校合计" if kind == "decimal" else ""), width=16)
        for key, label, kind in FACT_FIELDS
    ]

    def check(self, rows, errors, warnings, ctx):
        check_duplicates(rows, ["school_code"], errors, "学校标识码", "学校")
        self._schools = check_schools_in_scope(rows, errors, ctx)

    def write(self, rows, ctx):
        fields = ["school_id", "year_id"] + [k for k, _, _ in FACT_FIELDS]
        data = []
        for row in _row_dicts(rows):
            d = {"school_id": self._schools[row["school_code"]].pk, "year_id": ctx.year.pk}
            d |= {k: row[k] for k, _, _ in FACT_FIELDS}
            data.append(d)
        return upsert(m.SchoolFacts, data, ("school_id",), fields, where={"year_id": ctx.year.pk}).counts()


@register
class ClassImporter(Importer):
    kind = "classes"
    title = "班级"
    intro = "每行一个班级。班额由系统按学生学籍自动统计，无需填写人数。"
    columns = [
        school_code_column(),
        Column("grade", "年级", required=True, kind="grade", choice_map={v: k for k, v in GRADE_LABELS.items()}, note="如 一年级、七年级、高一、小班", example="三年级"),
        Column("name", "班级名称", required=True, note="如 1班、(2)班", example="1班", max_len=30),
        Column("head_teacher", "班主任", note="班主任姓名", max_len=30),
    ]

    def check(self, rows, errors, warnings, ctx):
        check_duplicates(rows, ["school_code", "grade", "name"], errors, "班级名称", "班级")
        self._schools = check_schools_in_scope(rows, errors, ctx)

    def write(self, rows, ctx):
        data = [
            {"school_id": self._schools[r["school_code"]].pk, "year_id": ctx.year.pk, "grade": r["grade"],
             "name": r["name"], "head_teacher": r["head_teacher"] or ""}
            for r in _row_dicts(rows)
        ]
        fields = ["school_id", "year_id", "grade", "name", "head_teacher"]
        return upsert(m.SchoolClass, data, ("school_id", "grade", "name"), fields, where={"year_id": ctx.year.pk}).counts()


PUPIL_FIELDS = ["student_no", "id_number", "name", "initials", "sex", "birth_date", "ethnicity", "hukou_code",
                "hukou_address", "guardian_name", "guardian_phone"]
PUPIL_FLAGS = [
    ("left_behind", "留守儿童"), ("migrant", "随迁子女"), ("registered_poor", "建档立卡"), ("dibao", "低保"),
    ("tekun", "特困供养"), ("orphan", "孤儿"), ("boarding", "寄宿生"),
]


@register
class PupilImporter(Importer):
    kind = "pupils"
    title = "学生"
    intro = "每行一名学生在所选学年的学籍。同一学年一名学生只能在一所学校；班级不存在时自动创建。身份证号、学籍号列必须为文本格式。"
    columns = [
        school_code_column(),
        Column("student_no", "全国学籍号", required=True, text=True, kind="student_no", note="G+身份证号；无身份证的为J或L字头", example="G430321201503041234", width=22),
        Column("id_number", "身份证号", text=True, kind="id", note="18位居民身份证号；学籍号为G字头时可不填", example="430321201503041234", width=22),
        Column("name", "姓名", required=True, max_len=40, example="张小明"),
        Column("sex", "性别", required=True, kind="choice", choice_map={"男": "男", "女": "女"}, example="男"),
        Column("birth_date", "出生日期", required=True, kind="date", note="如 2015-03-04", example="2015-03-04"),
        Column("ethnicity", "民族", max_len=10, example="汉族"),
        Column("grade", "年级", required=True, kind="grade", choice_map={v: k for k, v in GRADE_LABELS.items()}, note="如 一年级、七年级、小班", example="三年级"),
        Column("class_name", "班级", max_len=30, note="如 1班", example="1班"),
        Column("status", "学籍状态", kind="choice", choice_map=_choices(m.EnrolmentStatus), note="空白视为“在读”", example="在读"),
        Column("hukou_code", "户籍地区划代码", text=True, max_len=6, note="户籍所在县区的6位代码", example="430321"),
        Column("hukou_address", "户籍地址", max_len=200, width=30),
        Column("guardian_name", "监护人", max_len=40),
        Column("guardian_phone", "监护人电话", text=True, kind="phone", example="13812345678"),
        *[Column(k, label, kind="bool", choice_map={"是": True, "否": False}, note=YES_NO) for k, label in PUPIL_FLAGS[:2]],
        Column("disability", "残疾类别", kind="choice", choice_map={l: v for v, l in m.Disability.choices if v}, note="无残疾留空"),
        *[Column(k, label, kind="bool", choice_map={"是": True, "否": False}, note=YES_NO) for k, label in PUPIL_FLAGS[2:]],
    ]

    def check(self, rows, errors, warnings, ctx):
        self._schools = check_schools_in_scope(rows, errors, ctx)
        check_duplicates(rows, ["student_no"], errors, "全国学籍号", "学籍号")
        check_duplicates(rows, ["id_number"], errors, "身份证号", "身份证号")
        year_start = ctx.year.start
        ids = rows["id_number"].to_list()
        nos = rows["student_no"].to_list()
        self._ids = []
        for i, (sno, idn, sex, birth, grade) in enumerate(
            zip(nos, ids, rows["sex"].to_list(), rows["birth_date"].to_list(), rows["grade"].to_list())
        ):
            if sno and sno.startswith("G") and not idn:
                idn = sno[1:]
                err = idnumbers.check_id_number(idn)
                if err and len(sno) == 19:
                    errors.add(i, "全国学籍号", "G字头学籍号中的" + err)
            elif sno and sno.startswith("G") and idn and sno[1:] != idn:
                errors.add(i, "全国学籍号", "G字头学籍号应为G+身份证号，与身份证号不一致")
            self._ids.append(idn)
            if idn and (i, "id_number") not in errors.cells and (i, "student_no") not in errors.cells:
                if sex and idnumbers.id_sex(idn) != sex:
                    errors.add(i, "性别", "与身份证号第17位（单数男、双数女）不符")
                if birth and idnumbers.id_birth_date(idn) != birth:
                    errors.add(i, "出生日期", "与身份证号中的出生日期不符")
            if birth and grade is not None:
                age = year_start.year - birth.year - ((year_start.month, year_start.day) < (birth.month, birth.day))
                expected = typical_age(grade)
                if abs(age - expected) > 2:
                    warnings.add(i, "年级", f"入学年龄{age}岁与{GRADE_LABELS[grade]}（通常{expected}岁）相差较大，请核对")
        # one pupil, one school per year; one ID number, one pupil. Look up by the unique keys
        # first and join in Python: an IN-list through a join is several times slower on SQLite.
        rows_by_no = select_in(m.Pupil, ["student_no", "pk", *PUPIL_FIELDS[1:]], "student_no", [x for x in nos if x])
        known = {r[0]: r[1] for r in rows_by_no}
        # kept for write(): the pupils already on file, so they are not read twice
        self._existing = {(r[0],): (r[1], tuple(r[2:])) for r in rows_by_no}
        # an ID number already held by the same 学籍号 is fine; only the others need a lookup
        held = {r[2]: r[0] for r in rows_by_no if r[2]}
        file_ids = {idn: sno for sno, idn in zip(nos, self._ids) if idn}
        unsure = [idn for idn, sno in file_ids.items() if held.get(idn) != sno]
        existing_ids = held | dict(select_in(m.Pupil, ["id_number", "student_no"], "id_number", unsure))
        enrolled = dict(select_in(m.Enrolment, ["pupil_id", "school_id"], "pupil_id", list(known.values()), {"year_id": ctx.year.pk}))
        self._enrolled = set(enrolled)
        schools = dict(m.School.objects.filter(pk__in=set(enrolled.values())).values_list("pk", "code"))
        names = dict(m.School.objects.filter(pk__in=set(enrolled.values())).values_list("code", "name"))
        for i, (sno, idn, code) in enumerate(zip(nos, self._ids, rows["school_code"].to_list())):
            if idn and idn in existing_ids and existing_ids[idn] != sno:
                errors.add(i, "身份证号", f"该身份证号已登记在学籍号{idnumbers.mask_student_no(existing_ids[idn])}名下")
            pk = known.get(sno)
            other = schools.get(enrolled.get(pk)) if pk else None
            if other and other != code:
                errors.add(i, "全国学籍号", f"该生本学年已在「{names[other]}」注册学籍，同一学年只能在一所学校；转学请先办理学籍转接")

    def write(self, rows, ctx):
        from jiaoguan.core.text import initials

        # column by column: 120,000 rows as dicts cost more than writing them
        col = {c: rows[c].to_list() for c in rows.columns}
        n = rows.height
        blank = lambda values, default="": [v or default for v in values]  # noqa: E731
        pupils = {
            "student_no": col["student_no"], "id_number": self._ids, "name": col["name"],
            "initials": [initials(name, person=True) for name in col["name"]], "sex": col["sex"], "birth_date": col["birth_date"],
            "ethnicity": blank(col["ethnicity"], "汉族"), "hukou_code": blank(col["hukou_code"]), "hukou_address": blank(col["hukou_address"]),
            "guardian_name": blank(col["guardian_name"]), "guardian_phone": blank(col["guardian_phone"]),
        }
        ctx.report(0, n, "写入学生")
        pupil_res = upsert(m.Pupil, pupils, ("student_no",), PUPIL_FIELDS, existing=self._existing)
        ctx.report(n // 2, n, "写入班级")

        # classes named in the file, created when missing
        school_ids = {code: s.pk for code, s in self._schools.items()}
        school = [school_ids[code] for code in col["school_code"]]
        wanted = {(s, g, c) for s, g, c in zip(school, col["grade"], col["class_name"]) if c}
        classes = {
            (c.school_id, c.grade, c.name): c.pk
            for c in m.SchoolClass.objects.filter(year=ctx.year, school_id__in={w[0] for w in wanted})
        }
        missing = [m.SchoolClass(school_id=s, year=ctx.year, grade=g, name=c) for s, g, c in wanted - set(classes)]
        if missing:
            m.SchoolClass.objects.bulk_create(missing, batch_size=2000)
            classes.update({(c.school_id, c.grade, c.name): c.pk for c in missing})

        ctx.report(n // 2, n, "写入学籍")
        pks = pupil_res.pks
        pupil_ids = [pks[(sno,)] for sno in col["student_no"]]
        enrolments = {
            "pupil_id": pupil_ids, "year_id": [ctx.year.pk] * n, "school_id": school, "grade": col["grade"],
            "school_class_id": [classes.get((s, g, c)) if c else None for s, g, c in zip(school, col["grade"], col["class_name"])],
            "status": blank(col["status"], m.EnrolmentStatus.STUDYING), "disability": blank(col["disability"]),
            **{k: [bool(v) for v in col[k]] for k, _ in PUPIL_FLAGS},
        }
        enrol_fields = list(enrolments)
        # pupils without an enrolment this year (new ones included) need no lookup
        created = {pk for pk in pks.values() if pk not in self._enrolled}
        enrol_res = upsert(m.Enrolment, enrolments, ("pupil_id",), enrol_fields, where={"year_id": ctx.year.pk}, new=created,
                           want_pks=False)
        es, ps = enrol_res.status, pupil_res.status
        statuses = [combine(es[(pk,)], ps[(sno,)]) for pk, sno in zip(pupil_ids, col["student_no"])]
        return statuses.count("created"), statuses.count("updated"), statuses.count("unchanged")


@register
class TeacherImporter(Importer):
    kind = "teachers"
    title = "教师"
    intro = "每行一名教师在所选学年的一条任教记录（同一学年同一学段只能一条）。身份证号列必须为文本格式。"
    columns = [
        school_code_column(),
        Column("id_number", "身份证号", required=True, text=True, kind="id", example="430321198503041234", width=22),
        Column("name", "姓名", required=True, max_len=40),
        Column("sex", "性别", required=True, kind="choice", choice_map={"男": "男", "女": "女"}),
        Column("birth_date", "出生日期", required=True, kind="date", example="1985-03-04"),
        Column("phone", "手机号", text=True, kind="phone", example="13812345678"),
        Column("work_start", "参加工作时间", kind="date", example="2007-09-01"),
        Column("section", "任教学段", required=True, kind="choice", choice_map=_choices(m.Section), example="小学"),
        Column("role", "岗位", max_len=20, note="如 专任教师、校长、副校长，空白视为专任教师", example="专任教师"),
        Column("subject", "主教学科", required=True, kind="choice", choice_map=_choices(m.Subject), example="语文"),
        Column("education", "最高学历", required=True, kind="choice", choice_map=_choices(m.Education), example="本科"),
        Column("title", "职称", kind="choice", choice_map=_choices(m.Title), note="空白视为未定级", example="一级"),
        Column("backbone", "骨干教师", kind="choice", choice_map={l: v for v, l in m.Backbone.choices if v}, note="非骨干留空", example="县级"),
        Column("staffing", "编制", kind="choice", choice_map=_choices(m.Staffing), note="空白视为在编", example="在编"),
        Column("certified", "持教师资格证", kind="bool", choice_map={"是": True, "否": False}, note="空白视为“否”"),
        Column("at_school_since", "到本校时间", kind="date", note="用于计算交流轮岗年限", example="2018-09-01"),
    ]

    def check(self, rows, errors, warnings, ctx):
        self._schools = check_schools_in_scope(rows, errors, ctx)
        check_duplicates(rows, ["id_number", "section"], errors, "身份证号", "教师的同一学段任教记录")
        for i, (idn, sex, birth) in enumerate(zip(rows["id_number"].to_list(), rows["sex"].to_list(), rows["birth_date"].to_list())):
            if idn and (i, "id_number") not in errors.cells:
                if sex and idnumbers.id_sex(idn) != sex:
                    errors.add(i, "性别", "与身份证号第17位（单数男、双数女）不符")
                if birth and idnumbers.id_birth_date(idn) != birth:
                    errors.add(i, "出生日期", "与身份证号中的出生日期不符")
        teachers = dict(select_in(m.Teacher, ["pk", "id_number"], "id_number", [x for x in rows["id_number"].to_list() if x]))
        postings = select_in(m.Posting, ["teacher_id", "section", "school_id"], "teacher_id", list(teachers), {"year_id": ctx.year.pk})
        schools = {pk: (code, name) for pk, code, name in m.School.objects.filter(pk__in={p[2] for p in postings}).values_list("pk", "code", "name")}
        elsewhere = {(teachers[t], section): schools[s] for t, section, s in postings}
        for i, (idn, section, code) in enumerate(zip(rows["id_number"].to_list(), rows["section"].to_list(), rows["school_code"].to_list())):
            other = elsewhere.get((idn, section))
            if other and other[0] != code:
                errors.add(i, "身份证号", f"该教师本学年已在「{other[1]}」有同学段任教记录；一名教师同一学年同一学段只能有一条任教记录")

    def write(self, rows, ctx):
        from jiaoguan.core.text import initials

        data = _row_dicts(rows)
        teachers = {}
        for r in data:
            teachers[r["id_number"]] = {
                "id_number": r["id_number"], "name": r["name"], "initials": initials(r["name"], person=True), "sex": r["sex"],
                "birth_date": r["birth_date"], "phone": r["phone"] or "", "work_start": r["work_start"],
            }
        t_fields = ["id_number", "name", "initials", "sex", "birth_date", "phone", "work_start"]
        t_res = upsert(m.Teacher, list(teachers.values()), ("id_number",), t_fields)
        p_fields = ["teacher_id", "year_id", "school_id", "section", "role", "subject", "education", "title", "backbone",
                    "staffing", "certified", "at_school_since"]
        postings = [{
            "teacher_id": t_res.pks[(r["id_number"],)], "year_id": ctx.year.pk, "school_id": self._schools[r["school_code"]].pk,
            "section": r["section"], "role": r["role"] or "专任教师", "subject": r["subject"], "education": r["education"],
            "title": r["title"] or m.Title.NONE, "backbone": r["backbone"] or "", "staffing": r["staffing"] or m.Staffing.ESTABLISHED,
            "certified": bool(r["certified"]), "at_school_since": r["at_school_since"],
        } for r in data]
        p_res = upsert(m.Posting, postings, ("teacher_id", "section"), p_fields, where={"year_id": ctx.year.pk})
        statuses = [combine(p_res.status[(p["teacher_id"], p["section"])], t_res.status[(r["id_number"],)]) for p, r in zip(postings, data)]
        return statuses.count("created"), statuses.count("updated"), statuses.count("unchanged")
