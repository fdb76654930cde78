"""Dashboards of a year (issue 12): for appraisers, viewers and administrators, through the visibility
rule; commune accounts are refused (403), like the year's progress page."""

from . import Rule, logged_in


def _year(w):
    return [w.year.pk]


_SIDE = logged_in(200, officer_a=403, officer_b=403)

RULES = {
    "dashboard_progress": Rule(args=_year, expect=_SIDE),
    "dashboard_ranking": Rule(args=_year, expect=_SIDE),
    "dashboard_areas": Rule(args=_year, expect=_SIDE),
    "dashboard_compare": Rule(args=_year, expect=_SIDE),
    "dashboard_years": Rule(args=_year, expect=_SIDE),
    "dashboard_export": Rule(args=lambda w: [w.year.pk, "xep-hang"], expect=_SIDE),
}
