"""The programme table: every amount has a source and a starting term; past terms keep their
amounts; malformed files and unknown programmes are refused in Chinese."""
import tomllib
from decimal import Decimal

import pytest

from jiaoguan.aid.programmes import PROGRAMMES_FILE, ProgrammeError, TermKey, load_table, parse_table, programmes, yuan


@pytest.fixture
def table():
    return programmes()


def amount(table, pid, term, stage, cats=()):
    return table.term_amount(table.get(pid), TermKey.parse(term), stage, cats)[0]


def test_every_amount_names_its_source_and_term(table):
    assert len(list(table)) == 9
    for p in table:
        assert p.amounts, p.id
        for a in p.amounts:
            assert a.source and a.status in ("V", "M", "P", "local")


def test_terms_parse_and_order():
    assert TermKey.parse("2026秋季") == TermKey(2026, "autumn")
    assert TermKey.parse("2027年春季学期") == TermKey(2027, "spring")
    assert TermKey.parse("2026秋季") < TermKey.parse("2027春季")
    assert TermKey.parse("2027春季").school_year_start == 2026
    assert TermKey.of_school_year(2026) == (TermKey(2026, "autumn"), TermKey(2027, "spring"))
    with pytest.raises(ProgrammeError, match="应写成如“2026秋季”"):
        TermKey.parse("2026年下学期")


def test_boarding_subsidy_rose_in_spring_2024_and_2023_keeps_the_old_amount(table):
    assert amount(table, "boarding_subsidy", "2023秋季", "primary") == Decimal("500.00")
    assert amount(table, "boarding_subsidy", "2023秋季", "junior") == Decimal("625.00")
    assert amount(table, "boarding_subsidy", "2024春季", "primary") == Decimal("625.00")
    assert amount(table, "boarding_subsidy", "2026秋季", "junior") == Decimal("750.00")
    # non-boarders get half: 625/750 a year from 2024春季, 500/625 before
    assert amount(table, "nonboarding_subsidy", "2023秋季", "primary") == Decimal("250.00")
    assert amount(table, "nonboarding_subsidy", "2026秋季", "primary") == Decimal("312.50")
    assert amount(table, "nonboarding_subsidy", "2026秋季", "junior") == Decimal("375.00")


def test_meals_per_school_day_and_grants_by_term(table):
    assert amount(table, "nutrition", "2021春季", "primary") == Decimal("400.00")  # 4 元 × 100 天
    assert amount(table, "nutrition", "2021秋季", "junior") == Decimal("500.00")   # 5 元 from 2021秋季
    assert amount(table, "senior_grant", "2024秋季", "senior") == Decimal("1000.00")
    assert amount(table, "senior_grant", "2025春季", "senior") == Decimal("1150.00")
    assert amount(table, "vocational_grant", "2025春季", "vocational") == Decimal("1150.00")
    # the school year 2024-2025 straddles the rise: 1000 (autumn) + 1150 (spring)
    assert table.year_standard(table.get("senior_grant"), 2024, "senior") == Decimal("2150.00")
    assert table.year_standard(table.get("boarding_subsidy"), 2026, "junior") == Decimal("1500.00")
    assert table.year_standard(table.get("nutrition"), 2026, "primary") == Decimal("1000.00")
    assert table.year_standard(table.get("student_loan"), 2023, "higher") == Decimal("16000")
    assert table.year_standard(table.get("student_loan"), 2026, "higher") == Decimal("20000")
    assert table.get("nutrition").period(TermKey.parse("2010秋季")) is None


def test_programmes_found_by_id_name_or_short_name_and_unknown_refused(table):
    assert table.get("寄宿生生活补助").id == "boarding_subsidy"
    assert table.get("普通高中国家助学金").id == "senior_grant"
    with pytest.raises(ProgrammeError, match="资助项目“助学补贴”不存在（可选：寄宿生生活补助、"):
        table.get("助学补贴")


def test_tiers_as_a_setting():
    data = tomllib.loads(PROGRAMMES_FILE.read_text("utf-8"))
    grant = next(p for p in data["programme"] if p["id"] == "senior_grant")
    grant["amounts"][-1]["tiers"] = [{"name": "一档", "per_year": 3000, "categories": ["tekun", "orphan"]},
                                     {"name": "二档", "per_year": 2000, "categories": ["dibao", "recognised"]}]
    table = parse_table(data)
    p, term = table.get("senior_grant"), TermKey.parse("2026秋季")
    assert table.term_amount(p, term, "senior", ("orphan",)) == (Decimal("1500.00"), "一档")
    assert table.term_amount(p, term, "senior", ("recognised",)) == (Decimal("1000.00"), "二档")
    assert table.term_amount(p, term, "senior", ("disabled",)) == (Decimal("1150.00"), "")  # no tier: the average
    assert table.max_term_amount(p, term, "senior") == Decimal("1500.00")


@pytest.mark.parametrize("change, message", [
    (lambda p: p["amounts"][0].pop("source"), "每个标准都要注明依据"),
    (lambda p: p.update(stages=["college"]), "未知学段 college"),
    (lambda p: p["rule"].update(categories=["poor"]), "未知困难类别 poor"),
    (lambda p: p["amounts"][0].update({"from": "2024下学期"}), "无法识别"),
    (lambda p: p["amounts"][0].update(per_year={"primary": -5}), "金额应为非负数字"),
])
def test_malformed_programme_files_are_refused(change, message):
    data = tomllib.loads(PROGRAMMES_FILE.read_text("utf-8"))
    change(data["programme"][0])
    with pytest.raises(ProgrammeError, match=message):
        parse_table(data)


def test_load_table_reads_the_file(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(PROGRAMMES_FILE.read_text("utf-8"), "utf-8")
    assert load_table(path).get("nutrition").payment == "school"


def test_yuan():
    assert yuan(Decimal("750.00")) == "750"
    assert yuan(Decimal("312.50")) == "312.5"
