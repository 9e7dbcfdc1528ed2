"""The supervision facts table (校际均衡测算表): one row per school, the interface shared by the
import template and `jiaoguan evaluate`. Headers may be the English keys or the Chinese labels."""
from __future__ import annotations

from jiaoguan.core.excel import Column

SCHOOL_TYPES = ("小学", "初中", "九年一贯制", "完全中学", "十二年一贯制", "教学点")

FACTS_TABLE_COLUMNS: list[Column] = [
    Column("school_code", "学校标识码", required=True, text=True, kind="school_code", note="10位学校标识码，每校唯一", example="4303210001"),
    Column("school_name", "学校名称", required=True, note="学校全称", width=28),
    Column("county_code", "县区代码", required=True, text=True, note="6位县区代码，用于按县分组", example="430321"),
    Column("school_type", "学校类型", required=True, kind="choice", choice_map={t: t for t in SCHOOL_TYPES}, note="学校类型"),
    Column("students_primary", "小学在校生数", kind="int", note="A：小学部在校生"),
    Column("students_junior", "初中在校生数", kind="int", note="B：初中部在校生"),
    Column("students_senior", "高中在校生数", kind="int", note="C：高中部在校生（完全中学、十二年一贯制）"),
    Column("teaching_area", "教学及辅助用房面积", kind="decimal", note="㎡，全校合计"),
    Column("sports_area", "体育运动场馆面积", kind="decimal", note="㎡，全校合计"),
    Column("equipment_value", "教学仪器设备值", kind="decimal", note="元，全校合计"),
    Column("computers", "计算机台数", kind="int", note="全校合计"),
    Column("books", "图书册数", kind="int", note="全校合计"),
    Column("multimedia_rooms", "网络多媒体教室数", kind="int", note="间，全校合计"),
    Column("teachers_primary", "小学专任教师数", kind="int", note="小学部专任教师"),
    Column("teachers_junior", "初中专任教师数", kind="int", note="初中部专任教师"),
    Column("qualified_primary", "小学高于规定学历专任教师数", kind="int", note="小学：专科及以上"),
    Column("qualified_junior", "初中高于规定学历专任教师数", kind="int", note="初中：本科及以上"),
    Column("midtitle_primary", "小学中级及以上职称专任教师数", kind="int", note="一级及以上"),
    Column("midtitle_junior", "初中中级及以上职称专任教师数", kind="int", note="一级及以上"),
    Column("backbone_primary", "小学县级以上骨干教师数", kind="int", note="县级及以上骨干"),
    Column("backbone_junior", "初中县级以上骨干教师数", kind="int", note="县级及以上骨干"),
    Column("pe_art_primary", "小学体育、音乐、美术专任教师数", kind="int", note="体育+音乐+美术"),
    Column("pe_art_junior", "初中体育、音乐、美术专任教师数", kind="int", note="体育+音乐+美术"),
]
