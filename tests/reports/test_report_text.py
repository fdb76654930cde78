"""NĐ30 text conventions of the report data: dates, numbers and symbols, counts, percentages."""

import datetime as dt
import unicodedata
from decimal import Decimal

from reports.text import (
    BLANK,
    ascii_slug,
    count_text,
    date_long,
    nfc,
    number_symbol,
    percent_text,
    place_date_line,
    sentence_list,
)


def test_dates_pad_days_below_ten_and_only_months_one_and_two():
    assert date_long(dt.date(2025, 1, 5)) == "ngày 05 tháng 01 năm 2025"
    assert date_long(dt.date(2025, 2, 15)) == "ngày 15 tháng 02 năm 2025"
    assert date_long(dt.date(2025, 3, 5)) == "ngày 05 tháng 3 năm 2025"
    assert date_long(dt.date(2025, 12, 28)) == "ngày 28 tháng 12 năm 2025"


def test_the_place_and_date_leave_the_day_blank_without_a_report_day():
    assert place_date_line("Ba Thành", dt.date(2025, 1, 10), dt.date(2025, 3, 1)) == \
        "Ba Thành, ngày 10 tháng 01 năm 2025"
    assert place_date_line("Ba Thành", None, dt.date(2025, 1, 20)) == f"Ba Thành, ngày {BLANK}tháng 01 năm 2025"


def test_the_number_is_zero_padded_and_blank_for_a_draft():
    assert number_symbol("5") == "Số: 05/BC-UBND"
    assert number_symbol("12") == "Số: 12/BC-UBND"
    assert number_symbol("123/BC-UBND") == "Số: 123/BC-UBND"
    assert number_symbol("") == f"Số:{BLANK}/BC-UBND"


def test_counts_and_percentages_are_written_the_vietnamese_way():
    assert count_text(2) == "02" and count_text(12) == "12"
    assert percent_text(Decimal(57) * 100 / 58) == "98,28%"
    assert percent_text(Decimal("100")) == "100,00%" and percent_text(Decimal("95.39")) == "95,39%"
    assert percent_text(Decimal("71")) == "71,00%"


def test_list_items_end_with_semicolons_and_the_last_with_a_full_stop():
    assert sentence_list(["UBND huyện;", "Phòng Nội vụ", "Lưu: VT."]) == ["UBND huyện;", "Phòng Nội vụ;", "Lưu: VT."]


def test_strings_are_normalised_to_nfc_and_file_names_to_ascii():
    decomposed = unicodedata.normalize("NFD", "Phạm Văn Thước")
    assert nfc({"name": [decomposed]}) == {"name": ["Phạm Văn Thước"]}
    assert ascii_slug("xã Ba Thành, huyện Đức Phổ") == "xa-ba-thanh-huyen-duc-pho"

