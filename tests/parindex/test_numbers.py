from decimal import Decimal

import pytest
from hypothesis import given

from parindex.numbers import (
    format_percent,
    format_points,
    parse_count,
    parse_id,
    parse_points,
    percent,
    points_validate,
    round_half_up,
)
from tests.fuzz import numberish


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


# --- the one parser of typed figures (issue 11, issue 15 finding 2) --------------------------------


@pytest.mark.parametrize("typed", ["3000", "3.000", "3 000", "3\u00a0000", " 3.000 "])
def test_counts_take_dots_and_spaces_as_thousand_groups(typed):
    assert parse_count(typed, label="Số hồ sơ") == 3000


def test_counts_take_several_groups():
    assert parse_count("1.234.567") == 1234567


@pytest.mark.parametrize(("typed", "message"), [
    ("3,5", "Số hồ sơ “3,5” phải là số nguyên (không có phần thập phân)."),
    ("1.5", "Số hồ sơ “1.5” phải là số nguyên; dấu chấm chỉ dùng để phân cách hàng nghìn (ví dụ 1.234)."),
    ("-1", "Số hồ sơ “-1” không được âm."),
    ("2147483648", "Số hồ sơ “2147483648” vượt giá trị tối đa 2.147.483.647."),
    ("1e28", "Số hồ sơ “1e28” không phải là số nguyên (ví dụ 1234 hoặc 1.234)."),
    ("99999999999999999999999999999", "Số hồ sơ “9999999999999999999…” vượt giá trị tối đa 2.147.483.647."),
])
def test_counts_say_exactly_what_is_wrong(typed, message):
    with pytest.raises(ValueError) as refused:
        parse_count(typed, label="Số hồ sơ")
    assert str(refused.value) == message


@pytest.mark.parametrize("typed", ["²", "٣", "１２", "+1", "1_0", "NaN", "Infinity", "-inf", "1e309", "3.00", "12 34",
                                   "0x10", "½", "1\x00"])
def test_counts_refuse_what_int_or_decimal_would_take_or_crash_on(typed):
    with pytest.raises(ValueError, match="không|phải là số nguyên"):
        parse_count(typed, label="Số hồ sơ")


@pytest.mark.parametrize(("typed", "message"), [
    ("-1", "Điểm -1 không được âm."),
    ("1,255", "Điểm 1,255 có quá 2 chữ số thập phân."),
    ("11", "Điểm 11 vượt điểm tối đa 10."),
    ("1e28", "Điểm “1e28” không phải là số."),
    ("1e309", "Điểm “1e309” không phải là số."),
    ("99999999999999999999999999999", "Điểm “9999999999999999999…” quá dài: không phải một số điểm hợp lệ."),
    ("1.234,5", "Điểm “1.234,5”: điểm không dùng dấu phân cách hàng nghìn (chỉ một dấu phẩy hoặc dấu chấm "
                "thập phân, ví dụ 6,5)."),
    ("1 000", "Điểm “1 000”: điểm không dùng dấu phân cách hàng nghìn (chỉ một dấu phẩy hoặc dấu chấm "
              "thập phân, ví dụ 6,5)."),
])
def test_points_say_exactly_what_is_wrong(typed, message):
    with pytest.raises(ValueError) as refused:
        points_validate(typed, maximum=Decimal("10"), label="Điểm")
    assert str(refused.value) == message


@pytest.mark.parametrize("typed", ["²", "٣,5", "+1", "1_0", "NaN", "sNaN", "Infinity", "0x1", "1/2"])
def test_points_refuse_unicode_digits_signs_and_specials(typed):
    with pytest.raises(ValueError, match="không phải là số"):
        points_validate(typed, maximum=Decimal("10"), label="Điểm")


@pytest.mark.parametrize(("typed", "expected"), [("12", 12), ("²", None), ("٣", None), ("0", None), ("-1", None),
                                                 ("1_0", None), ("9" * 19, None), ("", None), (None, None)])
def test_ids_are_ascii_digits_within_a_big_integer(typed, expected):
    assert parse_id(typed) == expected


@given(numberish)
def test_any_typed_text_is_a_number_or_a_vietnamese_refusal(typed):
    for parse in (lambda t: points_validate(t, maximum=Decimal("100"), label="Điểm"),
                  lambda t: parse_count(t, label="Số hồ sơ")):
        try:
            value = parse(typed)
        except ValueError as exc:
            assert str(exc).startswith(("Điểm", "Số hồ sơ")) and "không" in str(exc) or "vượt" in str(exc) \
                or "quá" in str(exc) or "phải là số nguyên" in str(exc)
        else:
            assert value is None or 0 <= value <= 2_147_483_647
