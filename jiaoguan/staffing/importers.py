"""Import of training attendance (培训学时登记表) through the core pipeline: every row checked,
nothing written unless all pass; then courses, sessions and attendance upserted on their
natural keys (year + level + course name [+ school for 校本]; course + 期次; 期次 + teacher).
"""
from __future__ import annotations

from decimal import Decimal

import polars as pl

from jiaoguan.core.excel import Column
from jiaoguan.core.importing import Importer, register
from jiaoguan.registry.importers import check_duplicates
from jiaoguan.registry.models import Posting, School, Teacher

from .actions import can_manage
from .models import Attendance, Course, Session, TrainingLevel
from .rules import load

DEFAULT_SESSION = "第1期"
PASSED = {"合格": "yes", "是": "yes", "结业": "yes", "不合格": "no", "否": "no", "未结业": "no"}


@register
class TrainingImporter(Importer):
    kind = "training"
    title = "教师培训学时"
    intro = ("每行一名教师参加一期培训的学时。培训日期须在所选学年内；同一培训项目同一期次的日期须一致；"
             "校本研修须填写学校标识码。身份证号列必须为文本格式。只有人事股可以导入。")
    columns = [
        Column("id_number", "身份证号", required=True, text=True, kind="id", example="430321198503041234", width=22),
        Column("name", "姓名", required=True, max_len=40, note="须与教师名册一致"),
        Column("level", "培训级别", required=True, kind="choice", choice_map={l: v for v, l in TrainingLevel.choices},
               example="县培"),
        Column("course", "培训项目", required=True, max_len=100, note="培训项目全称", example="2026年县级骨干教师研修班", width=30),
        Column("session", "期次", max_len=30, note=f"空白视为“{DEFAULT_SESSION}”", example="第1期"),
        Column("start", "开始日期", required=True, kind="date", example="2026-10-12"),
        Column("end", "结束日期", required=True, kind="date", example="2026-10-16"),
        Column("hours", "学时", required=True, kind="decimal", note="本期认定的学时数，每天最多8学时", example="40"),
        Column("passed", "考核结果", kind="choice", choice_map=PASSED, note="空白视为“合格”；不合格的学时不计入", example="合格"),
        Column("organizer", "承办单位", max_len=100, note="如 县教师发展中心", width=20),
        Column("school_code", "校本研修学校标识码", text=True, kind="school_code",
               note="培训级别为“校本”时必填：组织校本研修的学校", example="4303210001"),
    ]

    def check(self, rows, errors, warnings, ctx):
        user, year = ctx.user, ctx.year
        n = rows.height
        if not can_manage(user):
            for i in range(n):
                errors.add(i, "", "您的角色不能导入培训学时（仅限人事股和系统管理员）")
            return
        max_per_day = load()["training"]["max_hours_per_day"]
        keyed = rows.with_columns(
            pl.col("session").fill_null(DEFAULT_SESSION),
            pl.when(pl.col("level") == TrainingLevel.SCHOOL).then(pl.col("school_code")).otherwise(pl.lit("")).fill_null("").alias("school_code"),
        )
        check_duplicates(keyed, ["id_number", "level", "course", "school_code", "session"], errors, "身份证号", "同一教师同一期培训")
        ids = [x for x in rows["id_number"].to_list() if x]
        visible = {t.id_number: t for t in Teacher.objects.restrict(user).filter(id_number__in=ids)}
        elsewhere = set(Teacher.objects.filter(id_number__in=set(ids) - set(visible)).values_list("id_number", flat=True))
        posted = {}
        for teacher, school in (Posting.objects.filter(year=year, teacher__in=[t.pk for t in visible.values()])
                                .order_by("teacher", "section").values_list("teacher", "school")):
            posted.setdefault(teacher, school)
        codes = {c for c in rows["school_code"].to_list() if c}
        schools = {s.code: s for s in School.objects.restrict(user).filter(code__in=codes)}
        self._teachers, self._posted, self._schools = visible, posted, schools
        sessions: dict[tuple, tuple[int, object, object]] = {}
        for i, r in enumerate(rows.iter_rows(named=True)):
            idn = r["id_number"]
            if idn and (i, "id_number") not in errors.cells:
                t = visible.get(idn)
                if t is None:
                    if idn in elsewhere:
                        errors.add(i, "身份证号", "该教师不在您的管辖范围内")
                    else:
                        errors.add(i, "身份证号", "教师名册中没有这个身份证号，请先导入教师任教信息")
                else:
                    if r["name"] and r["name"] != t.name:
                        errors.add(i, "姓名", f"与教师名册不符（名册为“{t.name}”）")
                    if t.pk not in posted:
                        errors.add(i, "身份证号", f"{t.name}在{year}学年没有任教记录，学时无法计入")
            start, end = r["start"], r["end"]
            if start and end:
                if end < start:
                    errors.add(i, "结束日期", "早于开始日期")
                elif not (year.start <= start and end <= year.end):
                    errors.add(i, "开始日期", f"培训日期不在所选的{year}学年（{year.start:%Y-%m-%d}至{year.end:%Y-%m-%d}）内")
            hours = r["hours"]
            if hours is not None:
                if hours <= 0:
                    errors.add(i, "学时", "应大于0")
                elif start and end and end >= start and hours > ((end - start).days + 1) * max_per_day:
                    days = (end - start).days + 1
                    errors.add(i, "学时", f"{hours:g}学时超过了培训天数（{days}天）×每天{max_per_day}学时")
                elif abs(round(hours * 10) - hours * 10) > 1e-6:
                    errors.add(i, "学时", "最多保留一位小数")
            code = r["school_code"]
            if r["level"] == TrainingLevel.SCHOOL:
                if not code:
                    errors.add(i, "校本研修学校标识码", "校本研修必须填写组织研修的学校")
                elif code not in schools and (i, "school_code") not in errors.cells:
                    exists = School.objects.filter(code=code).exists()
                    errors.add(i, "校本研修学校标识码", f"无权导入学校{code}的数据（不在您的管辖范围内）" if exists else f"学校标识码{code}不存在")
            elif code:
                warnings.add(i, "校本研修学校标识码", "只有校本研修需要填写，已忽略")
            key = self._session_key(r)
            if r["level"] and r["course"] and start and end:
                first = sessions.setdefault(key, (i, start, end))
                if (first[1], first[2]) != (start, end):
                    errors.add(i, "开始日期", f"与第{first[0] + 2}行同一期次（{r['course']} {key[-1]}）的培训日期不一致")
        # sessions already on record must keep their dates
        for key, (i, start, end) in sessions.items():
            level, course, code, name = key
            existing = Session.objects.filter(course__year=year, course__level=level, course__name=course, name=name)
            existing = existing.filter(course__school__code=code) if code else existing.filter(course__school__isnull=True)
            existing = existing.first()
            if existing and (existing.start, existing.end) != (start, end):
                errors.add(i, "开始日期", f"该期次已登记的日期为{existing.start:%Y-%m-%d}至{existing.end:%Y-%m-%d}，与本行不一致")

    @staticmethod
    def _session_key(r) -> tuple:
        code = r["school_code"] if r["level"] == TrainingLevel.SCHOOL else ""
        return (r["level"], r["course"], code or "", r["session"] or DEFAULT_SESSION)

    def write(self, rows, ctx):
        year = ctx.year
        courses: dict[tuple, Course] = {}
        sessions: dict[tuple, Session] = {}
        for r in rows.iter_rows(named=True):
            level, name, code, session_name = self._session_key(r)
            ckey = (level, name, code)
            if ckey not in courses:
                school = self._schools[code] if code else None
                course, _ = Course.objects.get_or_create(year=year, level=level, name=name, school=school,
                                                         defaults={"organizer": r["organizer"] or ""})
                if r["organizer"] and course.organizer != r["organizer"]:
                    course.organizer = r["organizer"]
                    course.save(update_fields=["organizer"])
                courses[ckey] = course
            skey = ckey + (session_name,)
            if skey not in sessions:
                sessions[skey], _ = Session.objects.get_or_create(course=courses[ckey], name=session_name,
                                                                  defaults={"start": r["start"], "end": r["end"]})
        wanted = {}
        for r in rows.iter_rows(named=True):
            teacher = self._teachers[r["id_number"]]
            session = sessions[self._session_key(r)]
            wanted[(session.pk, teacher.pk)] = (Decimal(str(r["hours"])).quantize(Decimal("0.1")), r["passed"] != "no",
                                                self._posted[teacher.pk])
        existing = {(a.session_id, a.teacher_id): a for a in
                    Attendance.objects.filter(session__in={k[0] for k in wanted}, teacher__in={k[1] for k in wanted})}
        create, update, unchanged = [], [], 0
        for (session_id, teacher_id), (hours, passed, school_id) in wanted.items():
            a = existing.get((session_id, teacher_id))
            if a is None:
                create.append(Attendance(session_id=session_id, teacher_id=teacher_id, school_id=school_id, year=year,
                                         hours=hours, passed=passed))
            elif (a.hours, a.passed, a.school_id) != (hours, passed, school_id):
                a.hours, a.passed, a.school_id = hours, passed, school_id
                update.append(a)
            else:
                unchanged += 1
        Attendance.objects.bulk_create(create, batch_size=2000)
        Attendance.objects.bulk_update(update, ["hours", "passed", "school"], batch_size=2000)
        return len(create), len(update), unchanged
