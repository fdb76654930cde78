"""Charts of the reports as SVG (pygal), drawn from the chart series of the report data.
The SVG is inlined in the HTML that WeasyPrint renders, so its text is real PDF text in the
bundled Liberation Serif. No script is embedded (pygal links a CDN script by default)."""

import base64

import pygal
from pygal.style import Style

from parindex.numbers import format_number

FONT = "'Liberation Serif', 'Times New Roman', serif"

_STYLE = dict(
    background="white",
    plot_background="white",
    foreground="#000000",
    foreground_strong="#000000",
    foreground_subtle="#999999",
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    legend_font_family=FONT,
    title_font_family=FONT,
    tooltip_font_family=FONT,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=11,
    value_label_font_size=11,
    legend_font_size=13,
    title_font_size=15,
    opacity="1",
    opacity_hover="1",
    transition="none",
)


def _config(**kwargs):
    base = dict(js=[], disable_xml_declaration=True, explicit_size=True, show_legend=True,
                legend_at_bottom=True, print_values=True, print_zeroes=True, tooltip_border_radius=0,
                margin=8, spacing=6, truncate_legend=-1, truncate_label=-1)
    base.update(kwargs)
    return base


def _points_formatter(value):
    return format_number(value, 2) if value is not None else ""


def area_scores_svg(chart, width=620, height=320):
    """Grouped bars per area: maximum, self-score and (once appraised) appraised score. The SVG is
    printed 150 mm wide, so 1 px ≈ 0,7 pt: labels of 18 px print at about 12 pt (13 px was 9 pt)."""
    colours = ("#d9d9d9", "#7f7f7f", "#1f1f1f")
    style = Style(colors=colours[-len(chart["series"]):] if len(chart["series"]) < 3 else colours,
                  **{**_STYLE, "label_font_size": 18, "major_label_font_size": 18, "legend_font_size": 17,
                     "value_font_size": 15, "value_label_font_size": 15})
    bar = pygal.Bar(style=style, width=width, height=height, **_config(
        value_formatter=_points_formatter, print_values=False, legend_at_bottom_columns=3,
    ))
    bar.x_labels = chart["labels"]
    for serie in chart["series"]:
        bar.add(serie["name"], [float(v) if v is not None else None for v in serie["values"]])
    return bar.render(is_unicode=True)


def ranking_svg(chart, width=900, height=None):
    """Horizontal bars of the index % per commune, best first."""
    from .text import percent_text

    labels = chart["labels"]
    values = chart["series"][0]["values"] if chart["series"] else []
    height = height or max(160, 34 * len(labels) + 70)
    style = Style(colors=("#a6a6a6",), **{**_STYLE, "label_font_size": 15, "major_label_font_size": 15,
                                          "value_font_size": 14, "guide_stroke_color": "none",
                                          "major_guide_stroke_color": "none"})
    # No guide lines: they ran through the value printed at the end of each bar.
    bar = pygal.HorizontalBar(style=style, width=width, height=height, **_config(
        show_legend=False, range=(0, 100), value_formatter=lambda v: percent_text(v),
        print_values_position="top", show_x_guides=False, show_y_guides=False,
    ))
    # pygal draws the first value at the bottom; reverse so the best is on top.
    bar.x_labels = list(reversed(labels))
    bar.add(chart["series"][0]["name"] if chart["series"] else "", [float(v) for v in reversed(values)])
    return bar.render(is_unicode=True)


def data_uri(svg):
    """The SVG as a data: URI for <img>: WeasyPrint then renders it as its own SVG document, where
    pygal's embedded stylesheet applies (inline <svg> in HTML would lose it)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
