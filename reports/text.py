"""Vietnamese text conventions of administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I)
shared by the report-data builders: dates, document numbers, counts, file names."""

import re
import unicodedata

from django.utils.text import slugify

from parindex.numbers import format_percent

# A blank to be filled in by hand after signing (NĐ30 Điều 15: number and day are given then).
BLANK = "\u00a0" * 6


def nfc(value):
    """Normalise every string inside a nested structure to NFC (TCVN 6909 text, one code point per letter)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nfc(v) for v in value]
    return value


def day_text(day):
    """NĐ30: days 1–9 take a leading zero."""
    return f"{day:02d}"


def month_text(month):
    """NĐ30: only months 1 and 2 take a leading zero ("tháng 01", "tháng 3", "tháng 12")."""
    return f"{month:02d}" if month <= 2 else str(month)


def date_long(value):
    """"ngày 05 tháng 01 năm 2025"."""
    return f"ngày {day_text(value.day)} tháng {month_text(value.month)} năm {value.year}"


def date_short(value):
    """"08/01/2025": the short form common in citations and tables."""
    return f"{value:%d/%m/%Y}"


def place_date_line(place, report_date, fallback_month):
    """Ô 4: "Ba Thành, ngày 15 tháng 01 năm 2025"; without a report day the day stays blank for the
    Văn thư to fill in, in the month the draft is made."""
    if report_date:
        return f"{place}, {date_long(report_date)}"
    return f"{place}, ngày {BLANK}tháng {month_text(fallback_month.month)} năm {fallback_month.year}"


def number_symbol(number, type_code="BC", issuer="UBND"):
    """Ô 3: "Số: 05/BC-UBND", "Số: 12/BC-UBND"; a draft leaves the number blank ("Số:      /BC-UBND").
    `number` may already hold the whole symbol ("12/BC-UBND")."""
    number = (number or "").strip()
    symbol = f"{type_code}-{issuer}"
    if not number:
        return f"Số:{BLANK}/{symbol}"
    if "/" in number:
        return f"Số: {number}"
    if number.isascii() and number.isdigit():
        number = f"{int(number):02d}"
    return f"Số: {number}/{symbol}"


def count_text(value):
    """Counts of things in the body: "02 Hội nghị", "05 phiên họp", "12 văn bản"."""
    return f"{int(value):02d}"


def percent_text(value, places=2):
    """"98,28%", "100,00%", "71,00%": one style for every percentage of a report, always two decimals
    (a whole number printed without them beside "98,28%" mixed two styles)."""
    return format_percent(value, places)


def sentence_list(items, last_end="."):
    """Bullet items of a list: each ends with ";" except the last, which ends with `last_end`."""
    items = [re.sub(r"[;.,:\s]+$", "", i) for i in items]
    return [f"{i};" for i in items[:-1]] + ([f"{items[-1]}{last_end}"] if items else [])


def ascii_slug(text):
    """File names that survive every mail client: "xa-ba-thanh" (đ has no NFKD decomposition)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return slugify(text)
