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
