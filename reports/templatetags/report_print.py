import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# A document symbol ("193/QĐ-UBND", "45/UBND-VP") must not break at its hyphen.
_SYMBOL = re.compile(r"(\S+-\S+)")


@register.filter
def print_text(value):
    """Body text for the print layout: escaped, document symbols kept on one line, and a spaced
    dash ("kinh tế - xã hội") never left at the start of a line."""
    text = str(conditional_escape(value or ""))
    text = text.replace(" - ", "\u00a0- ")
    return mark_safe(_SYMBOL.sub(r'<span class="nw">\1</span>', text))  # noqa: S308 - escaped above
