"""Decimal arithmetic and Vietnamese number display. Sums stay exact; rounding (half-up)
happens only here, when a value is shown."""

import re
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")


def to_decimal(value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def round_half_up(value, places=2):
    value = to_decimal(value)
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value, places=2, thousands=True):
    """1234.5 -> "1.234,50" (places=2). None -> ""."""
    value = round_half_up(value, places)
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):.{places}f}"
    whole, _, frac = text.partition(".")
    if thousands:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        whole = ".".join(groups)
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def format_points(value, places=2):
    return format_number(value, places)


def format_percent(value, places=2):
    text = format_number(value, places)
    return f"{text}%" if text else ""


def percent(part, whole):
    """Exact percentage as a Decimal, None when the whole is zero or unknown."""
    part, whole = to_decimal(part), to_decimal(whole)
    if part is None or not whole:
        return None
    return part * HUNDRED / whole


# What a person may type. ASCII digits only: str.isdigit() and Decimal() also take "²", "٣" or "１",
# which would reach int() or the database as something else (or crash); exponents ("1e28"), signs
# ("+1"), underscores ("1_0"), NaN and Infinity are refused the same way.
_POINTS = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?")
_COUNT_PLAIN = re.compile(r"(-?)([0-9]+)")
_COUNT_GROUPED = re.compile(r"(-?)([0-9]{1,3}(?:([. ])[0-9]{3})(?:\3[0-9]{3})*)")
_SPACES = "\u00a0\u202f\u2009\u2007"
# Longer than this, a typed number is refused before it is converted: a 400-digit string must not
# reach Decimal arithmetic or a message that formats it.
MAX_TYPED_DIGITS = 15
INT_MAX = 2_147_483_647  # the range of an integer column (PostgreSQL "integer")


def echo(text, limit=20):
    """What the person typed, short enough to quote in a message."""
    text = str(text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _normalise_spaces(text):
    text = str(text).strip()
    for space in _SPACES:
        text = text.replace(space, " ")
    return text


def parse_points(text, *, label="Giá trị"):
    """Parse points typed by a person: "6,5", "6.5", " 11,50 ". Blank → None.
    Raises ValueError with a Vietnamese message that says what is wrong."""
    if text is None:
        return None
    cleaned = _normalise_spaces(text)
    if cleaned == "":
        return None
    match = _POINTS.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"-?[0-9]{1,3}(?:[. ][0-9]{3})+(?:,[0-9]+)?", cleaned) or \
                re.fullmatch(r"-?[0-9]+ [0-9 ]+(?:[.,][0-9]+)?", cleaned):
            raise ValueError(f"{label} “{echo(text)}”: điểm không dùng dấu phân cách hàng nghìn "
                             "(chỉ một dấu phẩy hoặc dấu chấm thập phân, ví dụ 6,5).")
        raise ValueError(f"{label} “{echo(text)}” không phải là số.")
    sign, whole, frac = match.groups()
    if len(whole.lstrip("0")) > MAX_TYPED_DIGITS or len(frac or "") > MAX_TYPED_DIGITS:
        raise ValueError(f"{label} “{echo(text)}” quá dài: không phải một số điểm hợp lệ.")
    return Decimal(f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}")


def parse_count(text, *, label="Giá trị", maximum=INT_MAX, minimum=0):
    """Parse a whole number typed by a person: "3000", "3.000" and "3 000" are three thousand;
    "3,5" is refused (not a whole number). Blank → None. Refuses below `minimum` and above
    `maximum` (by default the range of an integer column). Raises ValueError with a Vietnamese message."""
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        cleaned = str(text)
    else:
        cleaned = _normalise_spaces(text)
    if cleaned == "":
        return None
    match = _COUNT_PLAIN.fullmatch(cleaned)
    if match is None:
        match = _COUNT_GROUPED.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"-?[0-9][0-9. ]*,[0-9]+", cleaned):
            raise ValueError(f"{label} “{echo(text)}” phải là số nguyên (không có phần thập phân).")
        if re.fullmatch(r"-?[0-9]+[.][0-9]{1,2}", cleaned) or re.fullmatch(r"-?[0-9]+[.][0-9]{4,}", cleaned):
            raise ValueError(f"{label} “{echo(text)}” phải là số nguyên; dấu chấm chỉ dùng để phân cách "
                             "hàng nghìn (ví dụ 1.234).")
        raise ValueError(f"{label} “{echo(text)}” không phải là số nguyên (ví dụ 1234 hoặc 1.234).")
    sign, digits = match.group(1), match.group(2)
    digits = digits.replace(".", "").replace(" ", "")
    if len(digits.lstrip("0")) > MAX_TYPED_DIGITS:
        raise ValueError(f"{label} “{echo(text)}” vượt giá trị tối đa {format_number(maximum, 0)}.")
    value = int(f"{sign}{digits}")
    if value < 0 and minimum >= 0:
        raise ValueError(f"{label} “{echo(text)}” không được âm.")
    if value < minimum:
        raise ValueError(f"{label} “{echo(text)}” nhỏ hơn giá trị tối thiểu {format_number(minimum, 0)}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{label} “{echo(text)}” vượt giá trị tối đa {format_number(maximum, 0)}.")
    return value


def parse_id(text):
    """An id sent back by a page (a checkbox value, a hidden field): ASCII digits only, within a
    big-integer column. Anything else → None, for the caller to treat as "not one of ours"."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 0 < text <= 9_223_372_036_854_775_807 else None
    text = str(text or "").strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        return None
    value = int(text)
    return value or None


def decimal_places(value):
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


MAX_DECIMALS = 2


def display_points(value):
    """Points as a person writes them: "11,5", "6", "0,25" (no padding zeros)."""
    if value is None:
        return ""
    return format_number(value, decimal_places(value))


def points_validate(text, *, maximum, label="Điểm"):
    """The one rule for points typed by a person (self-scores, appraised scores, bonus, penalty):
    blank → None; "6,5" and "6.5" accepted; 0 to `maximum`; at most two decimals.
    Raises ValueError with the Vietnamese message to show beside the field."""
    value = parse_points(text, label=label)
    if value is None:
        return None
    # The value has at most MAX_TYPED_DIGITS digits (parse_points), so formatting it is safe.
    if value < 0:
        raise ValueError(f"{label} {display_points(value)} không được âm.")
    if decimal_places(value) > MAX_DECIMALS:
        raise ValueError(f"{label} {echo(text)} có quá {MAX_DECIMALS} chữ số thập phân.")
    if value > maximum:
        raise ValueError(f"{label} {display_points(value)} vượt điểm tối đa {display_points(maximum)}.")
    return value
