"""Charts of the dashboards: the report's pygal code and style, inlined without <style>, <script> or
style attributes (CSP), their rules in static/css/charts.css kept equal to what pygal generates."""

from pathlib import Path

from django.conf import settings

from reports.charts import DRAW, chart_css, chart_svg

CHART = {"labels": ["xã <b>Ba Thành</b>", "xã Ba Động"],
         "series": [{"name": "Chỉ số", "values": [58.7, 84.75]}, {"name": "Khác", "values": [10, None]}]}


def test_the_stylesheet_is_what_pygal_generates_for_the_web_style():
    committed = (Path(settings.BASE_DIR) / "static" / "css" / "charts.css").read_text(encoding="utf-8")
    assert committed == chart_css(), "Regenerate it: python -m reports.charts > static/css/charts.css"


def test_every_kind_of_chart_inlines_without_style_or_script():
    for kind in DRAW:
        svg = chart_svg({**CHART, "draw": kind})
        assert svg.startswith("<svg") and 'class="pygal-chart"' in svg, kind
        for forbidden in ("<style", "<script", " style=", "<!--"):
            assert forbidden not in svg, (kind, forbidden)
        assert "xã &lt;b&gt;Ba Thành&lt;/b&gt;" in svg and "<b>" not in svg, kind


def test_counts_are_labelled_in_whole_numbers():
    svg = chart_svg({"draw": "bars", "labels": ["a", "b"], "series": [{"name": "n", "values": [1, 2]}]})
    assert ">0,5<" not in svg and ">2<" in svg


def test_percent_values_read_as_in_the_table_and_the_axis_in_whole_percents():
    svg = chart_svg({"draw": "hbars_percent", "labels": ["1. Lĩnh vực"],
                     "series": [{"name": "Tỷ lệ", "values": [75]}]})
    assert ">75,00%<" in svg and ">50%<" in svg and ">50,00%<" not in svg
