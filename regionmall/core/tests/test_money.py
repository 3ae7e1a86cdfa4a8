from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regionmall.core.money import MoneyError, format_fen, round_fen, to_fen, to_yuan


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [("0", 0), ("0.01", 1), ("12.345", 1235), ("12.344", 1234), ("1,234.5", 123450),
     (Decimal("-0.005"), -1), (7, 700), (" 3.10 ", 310)],
)
def test_to_fen_rounds_half_up(yuan, fen):
    assert to_fen(yuan) == fen


@pytest.mark.parametrize("bad", [1.1, True, "abc", "NaN", "inf", ""])
def test_to_fen_refuses_non_money(bad):
    with pytest.raises(MoneyError):
        to_fen(bad)


def test_format_and_round():
    assert format_fen(123456) == "¥1,234.56"
    assert format_fen(-100) == "-¥1.00"
    assert format_fen(5) == "¥0.05"
    assert round_fen(Decimal("2.5")) == 3
    assert round_fen(Decimal("-2.5")) == -3


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_fen_yuan_round_trip(fen):
    assert to_fen(to_yuan(fen)) == fen
