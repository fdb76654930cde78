"""Done when (issue 12): the dashboards, their XLSX exports and the report give identical figures
for every demo commune. The demo's approved communes are published through the workflow, then each
commune's final points, index, rank and band, and each area's points, are read from the dashboard,
from its export, from the summary report and from the commune's own report."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from parindex.demo import demo_load
from parindex.models import AssessmentStatus
from parindex.selectors.dashboards import dashboard_areas, dashboard_compare, dashboard_ranking
from parindex.services.workflow import results_publish
from reports.data import commune_report_data, summary_report_data

pytestmark = pytest.mark.django_db
S = AssessmentStatus


@pytest.fixture
def demo():
    year = demo_load().year
    admin = get_user_model().objects.get(username="quantri.quangngai")
    approved = list(year.assessments.filter(status=S.APPROVED).select_related("unit"))
    assert len(approved) >= 5
    # Publish all but one, so both the published and the provisional tables are compared.
    results_publish(year=year, actor=admin, decision_number="125/QĐ-UBND", decision_date=dt.date(2025, 2, 10),
                    assessments=approved[1:])
    year.refresh_from_db()
    return year, admin


def test_ranking_figures_match_the_summary_report_the_commune_reports_and_the_export(demo, client):
    year, admin = demo
    board = dashboard_ranking(user=admin, year=year)
    shown = {row[1]: (row[3], row[5], row[0], row[6])
             for key in ("published", "approved") for row in board.table(key).rows}
    summary = summary_report_data(year=year, unit=year.scope, user=admin)
    from_summary = {r["unit"]: (r["total"], r["index_percent"], r["rank"], r["band"])
                    for r in summary["rows"] if r["index_percent"] is not None}
    assert shown == from_summary and len(shown) >= 5
    for assessment in year.assessments.filter(status=S.PUBLISHED).select_related("unit"):
        report = commune_report_data(assessment=assessment)
        final, index, rank, band = shown[assessment.unit.display_name]
        assert (report["totals"]["final"], report["totals"]["index_percent"]) == (final, index)
        assert (report["totals"]["rank"]["rank"], report["totals"]["rank"]["band"]) == (rank, band)
    client.force_login(admin)
    wb = load_workbook(io.BytesIO(client.get(reverse("dashboard_export", args=[year.pk, "xep-hang"])).content))
    exported = {}
    for ws in wb.worksheets[:2]:
        for row in ws.iter_rows(values_only=True):
            if isinstance(row[0], int) and row[1] in shown:
                exported[row[1]] = (row[3], row[5], row[0], row[6])
    assert exported.keys() == shown.keys()
    for unit, (final, index, rank, band) in shown.items():
        assert exported[unit] == (pytest.approx(float(final)), pytest.approx(float(index / 100)), rank, band)


def test_area_figures_match_each_commune_report(demo):
    year, admin = demo
    finished = list(year.assessments.filter(status__in=(S.APPROVED, S.PUBLISHED)).select_related("unit"))
    reports = {a.id: commune_report_data(assessment=a) for a in finished}
    for first, second in zip(finished[::2], finished[1::2], strict=False):
        board = dashboard_compare(user=admin, year=year, assessment_ids=[first.id, second.id])
        for row, area_a, area_b in zip(board.table("areas").rows, reports[first.id]["areas"],
                                       reports[second.id]["areas"], strict=True):
            assert (row[0], row[3], row[5]) == (area_a["code"], area_a["appraised"], area_b["appraised"])
    means = {row[0]: row[3] for row in dashboard_areas(user=admin, year=year).table("areas").rows}
    for i, code in enumerate(means):
        values = [reports[a.id]["areas"][i]["appraised"] for a in finished]
        assert means[code] == sum(values, Decimal("0")) / len(values)
