from django import template

from parindex import numbers

register = template.Library()


@register.filter
def points(value, places=2):
    """{{ total|points }} -> "6,73" (always the given decimals, half-up)."""
    return numbers.format_points(value, int(places))


@register.filter
def percent(value, places=2):
    return numbers.format_percent(value, int(places))


@register.filter
def vn_int(value):
    return numbers.format_number(value, 0)


@register.filter
def zero_pad(value):
    """NĐ30: numbers below 10 get a leading zero ("02 Hội nghị")."""
    return f"{int(value):02d}" if value is not None else ""
