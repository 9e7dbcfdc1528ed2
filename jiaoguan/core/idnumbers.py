"""Validation of identifiers: 身份证号 (GB 11643-1999), 全国学籍号, 学校标识码, phone numbers.

Pure functions with no Django import. Each `check_*` returns None when the value is valid,
otherwise the Chinese message a user sees next to the cell.
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"\d{17}[\dX]")
_DIGITS17_RE = re.compile(r"\d{17}")
_NUMERIC_LOOK = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$|^\d{15,18}\.0+$")
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}")


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def looks_like_number_cell(value: str) -> bool:
    """True for what Excel makes of an ID typed as a number: 4.30321E+17 or 430321…0.0."""
    return bool(_NUMERIC_LOOK.match(value.strip()))


@lru_cache(maxsize=4096)
def region_valid_in(code6: str, year: int) -> bool:
    """Whether the 6-digit area code existed in the given year (python-stdnum's GB/T 2260
    history). stdnum can raise KeyError on some codes, so any failure counts as unknown."""
    from stdnum import numdb

    try:
        results = numdb.get("cn/loc").info(code6)
        info = {k: v for _part, props in results for k, v in props.items()}
        counties = info.get("county")
        if not counties:
            return False
        for county in counties.split(","):
            if not county.startswith("["):
                return True
            span, _name = county[1:].split("]", 1)
            start, end = span.split("-")
            if (not start or year >= int(start)) and (not end or year <= int(end)):
                return True
        return False
    except Exception:  # noqa: BLE001 - stdnum's KeyError bug and malformed data alike
        return False


def id_birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def id_sex(number: str) -> str:
    """'男' for an odd sequence digit, '女' for even."""
    return "男" if int(number[16]) % 2 else "女"


def check_id_number(value: str, *, today: datetime.date | None = None, region: bool = True) -> str | None:
    """GB 11643: 18 characters, a real birth date not in the future, a known area code in the
    birth year, and the MOD 11-2 check character."""
    s = (value or "").strip().upper()
    if not s:
        return "身份证号为空"
    if looks_like_number_cell(s):
        return "身份证号被存成了数字，请把该列设为文本"
    if len(s) != 18:
        return f"身份证号应为18位，实为{len(s)}位"
    if not _ID_RE.fullmatch(s):
        return "身份证号只能由数字和末位X组成"
    birth = id_birth_date(s)
    today = today or datetime.date.today()
    if birth is None or birth.year < 1900 or birth > today:
        return "身份证号中的出生日期不存在"
    if id_check_char(s[:17]) != s[17]:
        return "身份证号校验位错误"
    if region and not region_valid_in(s[:6], birth.year):
        return f"身份证号地区码{s[:6]}在{birth.year}年不存在"
    return None


def check_student_no(value: str, *, id_number: str | None = None, verify_id: bool = True) -> str | None:
    """全国学籍号: G + 身份证号; J + area code, birth date, sequence and an ID-style check
    character; L + area code, birth date and 4 digits (temporary).

    verify_id=False checks only the shape of a G number, for files whose ID column is
    checked on its own (so one wrong ID is reported once)."""
    s = (value or "").strip().upper()
    if not s:
        return "学籍号为空"
    if len(s) != 19:
        return f"学籍号应为19位，实为{len(s)}位"
    kind, body = s[0], s[1:]
    if kind == "G":
        if not verify_id:
            return None if _ID_RE.fullmatch(body) else "G字头学籍号应为G+18位身份证号"
        err = check_id_number(body, region=False)
        if err:
            return "G字头学籍号应为G+身份证号：" + err
        if id_number and id_number.strip().upper() != body:
            return "G字头学籍号与身份证号不一致"
        return None
    if kind in "JL":
        if not (body.isdigit() or (kind == "J" and _DIGITS17_RE.fullmatch(body[:17]) and body[17] in "0123456789X")):
            return f"{kind}字头学籍号除首字母外应为数字"
        if id_birth_date(body) is None:
            return f"{kind}字头学籍号中的出生日期不存在"
        if kind == "J" and id_check_char(body[:17]) != body[17]:
            return "J字头学籍号校验位错误"
        return None
    return "学籍号应以G、J或L开头"


def check_school_code(value: str) -> str | None:
    s = (value or "").strip()
    if not s:
        return "学校标识码为空"
    if looks_like_number_cell(s):
        return "学校标识码被存成了数字，请把该列设为文本"
    if not (len(s) == 10 and s.isdigit()):
        return "学校标识码应为10位数字"
    return None


def check_phone(value: str) -> str | None:
    s = (value or "").strip().replace(" ", "")
    if not s:
        return None
    if _MOBILE_RE.fullmatch(s) or _LANDLINE_RE.fullmatch(s):
        return None
    return "电话号码格式不正确（手机号11位，座机如0731-12345678）"


def mask_id(value: str | None) -> str:
    """430321********1234: area code and last four shown, birth date hidden."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_student_no(value: str | None) -> str:
    if not value:
        return ""
    return value[:1] + mask_id(value[1:])


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return value[:-4].rstrip("0123456789") + "****" + value[-4:] if len(value) > 4 else "****"


# ---------------------------------------------------------------------------- whole columns
# The same rules over a polars column at once (an import checks 100,000 numbers in a few
# hundredths of a second instead of a second). Tests hold them equal to the functions above.

def check_id_column(values, *, today: datetime.date | None = None, region: bool = True):
    """A Utf8 Series of messages (null where valid) for a Utf8 Series of ID numbers."""
    import polars as pl

    today = today or datetime.date.today()
    s = values.str.strip_chars().str.to_uppercase()
    frame = pl.DataFrame({"s": s})
    digits = [pl.col("s").str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(ID_WEIGHTS)]
    frame = frame.with_columns(
        length=pl.col("s").str.len_chars(),
        shape=pl.col("s").str.contains(r"^\d{17}[\dX]$"),
        numeric=pl.col("s").str.contains(_NUMERIC_LOOK.pattern),
        birth=pl.col("s").str.slice(6, 8).str.to_date("%Y%m%d", strict=False),
        check=pl.sum_horizontal(digits).mod(11),
    )
    frame = frame.with_columns(
        expected=pl.col("check").replace_strict(dict(enumerate(CHECK_CHARS)), default=None, return_dtype=pl.Utf8),
        code=pl.col("s").str.slice(0, 6),
        year=pl.col("birth").dt.year(),
    )
    region_bad = pl.lit(False)
    if region:
        pairs = frame.filter(pl.col("shape") & pl.col("birth").is_not_null()).select("code", "year").unique()
        known = pairs.with_columns(
            ok=pl.Series([region_valid_in(c, y) for c, y in pairs.iter_rows()], dtype=pl.Boolean)
        )
        frame = frame.join(known, on=["code", "year"], how="left", maintain_order="left")
        region_bad = pl.col("ok") == False  # noqa: E712 - a polars expression
    message = (
        pl.when(pl.col("s").is_null() | (pl.col("s") == "")).then(pl.lit("身份证号为空"))
        .when(pl.col("numeric")).then(pl.lit("身份证号被存成了数字，请把该列设为文本"))
        .when(pl.col("length") != 18).then(pl.format("身份证号应为18位，实为{}位", pl.col("length")))
        .when(~pl.col("shape")).then(pl.lit("身份证号只能由数字和末位X组成"))
        .when(pl.col("birth").is_null() | (pl.col("year") < 1900) | (pl.col("birth") > today)).then(pl.lit("身份证号中的出生日期不存在"))
        .when(pl.col("expected") != pl.col("s").str.slice(17, 1)).then(pl.lit("身份证号校验位错误"))
        .when(region_bad).then(pl.format("身份证号地区码{}在{}年不存在", pl.col("code"), pl.col("year")))
    )
    return frame.select(pl.when(pl.col("s").is_not_null()).then(message).alias("m"))["m"]


def check_regex_column(values, pattern: str, message: str):
    """Messages where a non-empty value does not match the pattern."""
    import polars as pl

    s = values.str.strip_chars()
    return pl.select(pl.when(s.is_not_null() & (s != "") & ~s.str.contains(pattern)).then(pl.lit(message))).to_series()
