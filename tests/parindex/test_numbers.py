from decimal import Decimal

import pytest

from parindex.numbers import format_percent, format_points, parse_points, percent, round_half_up


def test_it_rounds_half_up_not_to_even():
    assert round_half_up(Decimal("0.125")) == Decimal("0.13")
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")


def test_it_formats_points_the_vietnamese_way():
    assert format_points(Decimal("6.73")) == "6,73"
    assert format_points(Decimal("6")) == "6,00"
    assert format_points(Decimal("1234.5")) == "1.234,50"


def test_it_computes_task_completion_exactly():
    assert format_percent(percent(57, 58)) == "98,28%"
    assert format_percent(percent(1, 58)) == "1,72%"


@pytest.mark.parametrize("typed", ["6,5", "6.5", " 6,50 "])
def test_it_accepts_comma_and_dot(typed):
    assert parse_points(typed) == Decimal("6.5")


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "1.2,3", "nan", "inf"])
def test_it_rejects_what_is_not_a_number(typed):
    with pytest.raises(ValueError):
        parse_points(typed)
