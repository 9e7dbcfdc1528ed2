"""身份证号 / 学籍号 / 学校标识码 / phone validation against hand-checked cases."""
import datetime

from hypothesis import given, strategies as st

from jiaoguan.core import idnumbers as ids

# Hand-checked: 360426199101010071 is python-stdnum's documented valid example; the check
# digit of 11010519491231002 is X (Σ d·w = 167, 167 mod 11 = 2 → "10X98765432"[2] = X).
VALID = ["360426199101010071", "11010519491231002X"]


def test_valid_numbers_pass():
    for value in VALID:
        assert ids.check_id_number(value) is None, value


def test_hand_computed_check_character():
    assert ids.id_check_char("11010519491231002") == "X"
    assert ids.id_check_char("36042619910101007") == "1"


def test_each_rule_has_its_message():
    assert ids.check_id_number("360426199101010072") == "身份证号校验位错误"
    assert ids.check_id_number("36042619910101007") == "身份证号应为18位，实为17位"
    assert ids.check_id_number("36042619910101007A") == "身份证号只能由数字和末位X组成"
    assert ids.check_id_number("360426199102300071") == "身份证号中的出生日期不存在"
    assert ids.check_id_number("4.30321E+17") == "身份证号被存成了数字，请把该列设为文本"
    assert ids.check_id_number("430321201503041234.0") == "身份证号被存成了数字，请把该列设为文本"
    assert ids.check_id_number("") == "身份证号为空"


def test_future_birth_date_rejected():
    body = "43032120300101001"
    assert ids.check_id_number(body + ids.id_check_char(body), today=datetime.date(2026, 11, 26)) == "身份证号中的出生日期不存在"


def test_area_code_must_exist_in_birth_year():
    # 450127 横县 existed 2002–2021 (then 横州市 450181)
    born_2010 = "45012720100101001"
    born_2023 = "45012720230101001"
    assert ids.check_id_number(born_2010 + ids.id_check_char(born_2010)) is None
    assert ids.check_id_number(born_2023 + ids.id_check_char(born_2023)) == "身份证号地区码450127在2023年不存在"
    unknown = "99999920100101001"
    assert "地区码999999" in ids.check_id_number(unknown + ids.id_check_char(unknown))


def test_sex_and_birth_from_number():
    assert ids.id_sex("360426199101010071") == "男"  # sequence 007, odd
    assert ids.id_sex("11010519491231002X") == "女"  # sequence 002, even
    assert ids.id_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)


def test_student_numbers():
    assert ids.check_student_no("G360426199101010071") is None
    assert ids.check_student_no("G360426199101010072").startswith("G字头学籍号应为G+身份证号：身份证号校验位错误")
    assert ids.check_student_no("G360426199101010071", id_number="11010519491231002X") == "G字头学籍号与身份证号不一致"
    j_body = "43032120150304001"
    assert ids.check_student_no("J" + j_body + ids.id_check_char(j_body)) is None
    assert ids.check_student_no("J" + j_body + ("0" if ids.id_check_char(j_body) != "0" else "1")) == "J字头学籍号校验位错误"
    assert ids.check_student_no("L4303212015030412345"[:19]) is None
    assert ids.check_student_no("L430321201502301234") == "L字头学籍号中的出生日期不存在"
    assert ids.check_student_no("K360426199101010071") == "学籍号应以G、J或L开头"
    assert ids.check_student_no("G36042619910101007") == "学籍号应为19位，实为18位"


def test_school_codes_and_phones():
    assert ids.check_school_code("4303210001") is None
    assert ids.check_school_code("430321001") == "学校标识码应为10位数字"
    assert ids.check_school_code("4.303210001E9") == "学校标识码被存成了数字，请把该列设为文本"
    assert ids.check_phone("13812345678") is None
    assert ids.check_phone("0731-57812345") is None
    assert ids.check_phone("12812345678") is not None
    assert ids.check_phone("") is None


def test_masking():
    assert ids.mask_id("360426199101010071") == "360426********0071"
    assert ids.mask_student_no("G360426199101010071") == "G360426********0071"
    assert ids.mask_phone("13812345678") == "138****5678"
    assert ids.mask_id(None) == ""


dates = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2020, 12, 31))


@given(birth=dates, seq=st.integers(0, 999))
def test_generated_numbers_valid(birth, seq):
    body = f"430321{birth:%Y%m%d}{seq:03d}"
    number = body + ids.id_check_char(body)
    assert ids.check_id_number(number) is None
    assert ids.id_birth_date(number) == birth


@given(birth=dates, seq=st.integers(0, 999), pos=st.integers(0, 16), delta=st.integers(1, 9))
def test_any_single_digit_error_is_caught(birth, seq, pos, delta):
    """ISO 7064 MOD 11-2 detects every single-digit substitution."""
    body = f"430321{birth:%Y%m%d}{seq:03d}"
    number = body + ids.id_check_char(body)
    wrong = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    assert ids.check_id_number(wrong, region=False) is not None


id_like = st.one_of(
    st.builds(lambda b, q: f"430321{b:%Y%m%d}{q:03d}", dates, st.integers(0, 999)).map(lambda s: s + ids.id_check_char(s)),
    st.text(alphabet="0123456789X", min_size=15, max_size=19),
    st.builds(lambda b, q, c: f"{c}{b:%Y%m%d}{q:03d}", dates, st.integers(0, 999), st.sampled_from(["450127", "999999", "110105"]))
    .map(lambda s: s + ids.id_check_char(s)),
    st.just("4.30321E+17"),
)


@given(st.lists(id_like, min_size=1, max_size=30))
def test_column_check_equals_scalar_check(values):
    import polars as pl

    today = datetime.date(2026, 11, 26)
    column = ids.check_id_column(pl.Series(values, dtype=pl.Utf8), today=today).to_list()
    assert column == [ids.check_id_number(v, today=today) for v in values]
