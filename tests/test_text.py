"""How amounts read in reports: 万元 with exact half-up rounding, one rule for every section."""
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, strategies as st

from jiaoguan.core.text import wan


def test_wan_hand_checked():
    assert wan(820300) == "82.03"
    assert wan(12345678) == "1,234.57"
    assert wan(125) == "0.01"  # 0.0125 万元: half up, not to even
    assert wan(1.15 * 10000) == "1.15"  # a float just under 1.15 in binary still reads 1.15
    assert wan(None) == "—" and wan("") == "—"
    # the aid reports: two to four decimals
    assert wan(1771937.5, 4, keep=2) == "177.1938"
    assert wan(1621750, 4, keep=2) == "162.175"
    assert wan(820300, 4, keep=2) == "82.03"
    assert wan(0, 4, keep=2) == "0.00"
    assert wan(Decimal("50000"), 0) == "5"


@given(st.integers(min_value=0, max_value=10**12))
def test_wan_is_the_exact_amount_rounded_half_up(fen):
    yuan = Decimal(fen) / 100
    expected = (yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert wan(yuan) == f"{expected:,.2f}"
