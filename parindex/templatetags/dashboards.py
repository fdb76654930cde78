from django import template
from django.utils.safestring import mark_safe

from parindex import numbers
from reports.charts import chart_svg

register = template.Library()


@register.filter
def cell(value, kind):
    """A dashboard table cell shown the Vietnamese way by its column's kind."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if kind == "points":
        return numbers.format_points(value, 2)
    if kind == "percent":
        return numbers.format_percent(value, 2)
    if kind == "count":
        return numbers.format_number(value, 0)
    return value


@register.simple_tag
def chart(data):
    """The chart as inline SVG (pygal escapes every label it writes; no script, no style)."""
    if not data or not data["labels"]:
        return ""
    return mark_safe(chart_svg(data))  # noqa: S308 - pygal's output, labels escaped by lxml
