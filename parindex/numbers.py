"""Decimal arithmetic and Vietnamese number display. Sums stay exact; rounding (half-up)
happens only here, when a value is shown."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


def parse_points(text):
    """Parse what an officer types: "6,5", "6.5", " 11,50 ". Raises ValueError with a Vietnamese message."""
    if text is None:
        return None
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if cleaned == "":
        return None
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise ValueError(f"“{text}” không phải là số hợp lệ")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"“{text}” không phải là số") from None
    if not value.is_finite():
        raise ValueError(f"“{text}” không phải là số")
    return value


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
    try:
        value = parse_points(text)
    except ValueError:
        raise ValueError(f"{label} “{str(text).strip()}” không phải là số.") from None
    if value is None:
        return None
    if value < 0:
        raise ValueError(f"{label} {display_points(value)} không được âm.")
    if decimal_places(value) > MAX_DECIMALS:
        raise ValueError(f"{label} {str(text).strip()} có quá {MAX_DECIMALS} chữ số thập phân.")
    if value > maximum:
        raise ValueError(f"{label} {display_points(value)} vượt điểm tối đa {display_points(maximum)}.")
    return value
