"""The commune's result page: the appraised result item by item with the exchange, totals, index,
rank and band (once published), where points were lost, year over year through merged communes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import UnitLineage
from parindex.models import AssessmentStatus, Score
from parindex.selectors.rankings import assessment_rank
from parindex.services.appraisal import appraisal_sheet_save
from parindex.services.workflow import assessment_approve, assessment_complete_appraisal, results_publish
from tests.factories import (
    AssessmentFactory,
    CommuneFactory,
    EvaluationYearFactory,
    build_criteria_set,
    fill_scores,
)
from tests.parindex.workflow_states import drive

S = AssessmentStatus
SMALL = ((Decimal("6"), 3), (Decimal("4"), 2))
LARGE = tuple((Decimal("12.5"), 12) for _ in range(8))  # 8 areas, 104 leaves


def _url(assessment):
    return reverse("commune_result", args=[assessment.pk])


def approved_with_round_2(world, *, appraised_share=Decimal("0.5")):
    """Commune A approved after an explanation round: item 1.1 flagged, explained, scored 1,75 in
    round 2; every other item appraised at `appraised_share` of its maximum; 2.1 kept at its self-score."""
    a = drive(world.assessment_a, S.EXPLAINED, officer=world.officer_a, appraiser=world.appraiser,
              appraised_share=appraised_share)
    flagged = Score.objects.get(assessment=a, item__code="1.1")
    a = appraisal_sheet_save(assessment=a, actor=world.appraiser, expected_version=a.version, values={"scores": {
        flagged.id: {"round2_score": "1,75", "round2_comment": "Đã bổ sung quyết định, chấm lại"},
    }}).assessment
    Score.objects.filter(assessment=a, item__code="2.1").update(appraised_score=Decimal("2"))
    Score.objects.filter(assessment=a, item__code="1.2").update(appraisal_comment="Thiếu báo cáo quý IV")
    a = assessment_complete_appraisal(assessment=a, actor=world.appraiser)
    return assessment_approve(assessment=a, actor=world.appraiser)


def publish(world, assessment):
    results_publish(year=assessment.year, actor=world.admin, decision_number="12/QĐ-UBND",
                    decision_date=dt.date(2025, 2, 10), assessments=[assessment])
    assessment.refresh_from_db()
    return assessment


def test_it_says_there_is_no_result_before_approval(client, world):
    client.force_login(world.officer_a)
    html = client.get(_url(world.assessment_a)).content.decode()
    assert "Chưa có kết quả" in html
    assert "Điểm bị mất ở đâu" not in html


def test_it_shows_no_appraised_score_while_appraisal_is_under_way(client, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser,
              appraised_share=Decimal("0.5"))
    client.force_login(world.officer_a)
    html = client.get(_url(a)).content.decode()
    assert "Chưa có kết quả" in html and "Vòng 1" not in html


def test_owner_sees_every_round_the_final_and_the_explanation_exchange(client, world):
    a = approved_with_round_2(world)
    client.force_login(world.officer_a)
    response = client.get(_url(a))
    assert response.status_code == 200
    html = response.content.decode()
    item = html[html.index('id="item-1.1"'):]
    item = item[:item.index('id="item-1.2"')]
    # Self 2,00; round 1 1,00; round 2 1,75; final 1,75.
    for figure in ("2,00", "1,00", "1,75"):
        assert figure in item
    assert "Đề nghị bổ sung quyết định ban hành kế hoạch" in item  # the request
    assert "Đã ban hành Quyết định 193/QĐ-UBND" in item  # the commune's answer
    assert "Đã bổ sung quyết định, chấm lại" in item  # round 2 comment
    assert "Thiếu báo cáo quý IV" in html


def test_changed_items_are_marked_whether_flagged_or_not(client, world):
    a = approved_with_round_2(world)
    client.force_login(world.officer_a)
    html = client.get(_url(a)).content.decode()

    def row(code):
        start = html.index(f'id="item-{code}"')
        return html[html.rindex("<tr", 0, start):html.index("</tr>", start)]

    assert "result-changed" in row("1.1") and "có giải trình" in row("1.1")
    assert "result-changed" in row("1.2") and "có giải trình" not in row("1.2")
    assert "result-changed" not in row("2.1")


def test_totals_and_index_but_no_rank_before_publication(client, world):
    a = approved_with_round_2(world)
    client.force_login(world.officer_a)
    html = client.get(_url(a)).content.decode()
    # 1.1: 1,75; 2.1: 2; the other five leaves (1 + 0,5 + 0,5 + 0,5 + 0,5) = 3 → 6,75 of 10.
    assert 'data-figure="final">6,75/10,00' in html
    assert 'data-figure="index">67,50%' in html
    assert 'data-figure="rank"' not in html and "chưa công bố" in html


def test_rank_and_band_once_published(client, world):
    a = publish(world, approved_with_round_2(world))
    client.force_login(world.officer_a)
    html = client.get(_url(a)).content.decode()
    assert 'data-figure="rank">1/1' in html
    assert 'data-figure="band">Trung bình' in html
    assert assessment_rank(assessment=a) == {"rank": 1, "of": 1, "group": world.district.display_name,
                                             "band": "Trung bình"}


def test_points_lost_are_ranked_within_areas_the_weakest_area_first(world):
    from parindex.selectors.result import commune_result

    result = commune_result(assessment=approved_with_round_2(world))
    # Area 1 (max 6) reached 1,75 + 1 + 0,5 + 0,5 = 3,75: lost 2,25; area 2 (max 4) reached 3: lost 1.
    assert [(loss.area.item.code, loss.points_lost) for loss in result.losses] == [
        ("1", Decimal("2.25")), ("2", Decimal("1.00"))]
    area1 = result.losses[0]
    assert [(r.item.code, r.points_lost) for r in area1.lost] == [
        ("1.2", Decimal("1.00")), ("1.3.1", Decimal("0.50")), ("1.3.2", Decimal("0.50")), ("1.1", Decimal("0.25"))]
    assert [(r.item.code, r.self_gap) for r in area1.gaps][0] == ("1.2", Decimal("1.00"))
    assert all(r.item.code != "2.1" for r in result.losses[1].gaps)


def test_year_over_year_includes_the_merged_communes_labelled(client, world):
    a = approved_with_round_2(world)
    merged = CommuneFactory(name="Ba Vì", code="C9", parent=world.district)
    UnitLineage.objects.create(successor=world.commune_a, predecessor=merged, effective_date=dt.date(2025, 7, 1))
    earlier = AssessmentFactory(unit=merged, year=EvaluationYearFactory(year=a.year.year - 1, scope=world.province))
    fill_scores(earlier, appraised_share=Decimal("0.8"))
    # Unpublished results of a predecessor are not shown; published ones are.
    client.force_login(world.officer_a)
    assert "Ba Vì" not in client.get(_url(a)).content.decode()
    type(earlier).objects.filter(pk=earlier.pk).update(status=S.PUBLISHED)
    html = client.get(_url(a)).content.decode()
    history = html[html.index('id="result-history"'):]
    assert "Ba Vì" in history and "đơn vị trước hợp nhất" in history
    assert "80,00%" in history and "67,50%" in history


@pytest.mark.parametrize("persona", ["appraiser", "viewer", "admin", "leader_a"])
def test_members_above_and_in_the_commune_read_it(client, world, persona):
    a = approved_with_round_2(world)
    client.force_login(getattr(world, persona))
    response = client.get(_url(a))
    assert response.status_code == 200 and 'data-figure="index">67,50%' in response.content.decode()


@pytest.mark.parametrize("persona", ["officer_b", "other_appraiser"])
def test_outsiders_get_404(client, world, persona):
    a = approved_with_round_2(world)
    client.force_login(getattr(world, persona))
    assert client.get(_url(a)).status_code == 404


def test_it_rejects_anonymous_users(client, world):
    response = client.get(_url(world.assessment_a))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_officers_landing_page_links_to_the_result_after_approval(client, world):
    client.force_login(world.officer_a)
    assert 'id="result-ready"' not in client.get(reverse("home"), follow=True).content.decode()
    a = approved_with_round_2(world)
    html = client.get(reverse("home"), follow=True).content.decode()
    assert 'id="result-ready"' in html and _url(a) in html


def test_the_appraisal_sheet_links_to_the_result_after_approval(client, world):
    a = approved_with_round_2(world)
    client.force_login(world.appraiser)
    assert _url(a) in client.get(reverse("appraisal_sheet", args=[a.pk])).content.decode()


def test_it_uses_the_same_queries_for_7_and_104_items(client, world):
    counts = []
    client.force_login(world.admin)
    # Two communes, so that each page has one year of history whatever the size of its set.
    for shape, year, unit in ((SMALL, 2025, world.commune_a), (LARGE, 2026, world.commune_b)):
        evaluation_year = EvaluationYearFactory(year=year, scope=world.province, criteria_set=build_criteria_set(shape))
        a = AssessmentFactory(year=evaluation_year, unit=unit)
        fill_scores(a, appraised_share=Decimal("0.5"))
        type(a).objects.filter(pk=a.pk).update(status=S.PUBLISHED)
        client.get(_url(a))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(a))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]



@pytest.mark.django_db
def test_page_and_report_data_give_identical_figures_for_every_demo_commune(client):
    """Every commune of the demo, its approved results published: the page shows the report data's
    totals, index, rank and band, and each appendix line's final score is the tree's."""
    from django.contrib.auth import get_user_model

    from parindex.demo import demo_load
    from parindex.numbers import format_percent, format_points
    from parindex.selectors.result import commune_result
    from reports.data import commune_report_data

    year = demo_load().year
    admin = get_user_model().objects.create_superuser("kiemtra", "kt@example.vn", "x")
    results_publish(year=year, actor=admin, decision_number="15/QĐ-UBND", decision_date=dt.date(2025, 2, 10))
    client.force_login(admin)
    compared = 0
    for assessment in year.assessments.select_related("unit", "year", "year__criteria_set"):
        data, result = commune_report_data(assessment=assessment), commune_result(assessment=assessment)
        html = client.get(_url(assessment)).content.decode()
        if not result.available:
            assert "Chưa có kết quả" in html
            continue
        totals = data["totals"]
        assert data["published"] and result.published
        assert (totals["self"], totals["appraised"], totals["final"], totals["index_percent"], totals["rank"]) == (
            result.totals.self_total, result.totals.appraised_total, result.totals.final_total,
            result.totals.index_percent, result.rank)
        assert [a["appraised"] for a in data["areas"]] == [a.final_total for a in result.tree.areas]
        leaves = [(r["code"], r["appraised"]) for r in data["appendix"]["rows"] if r["is_leaf"]]
        assert leaves == [(r.item.code, r.final) for r in result.tree.leaves]
        assert f'data-figure="final">{format_points(totals["final"])}/{format_points(totals["applicable_max"])}' in html
        assert f'data-figure="index">{format_percent(totals["index_percent"])}' in html
        assert f'data-figure="rank">{totals["rank"]["rank"]}/{totals["rank"]["of"]}' in html
        assert f'data-figure="band">{totals["rank"]["band"]}' in html
        compared += 1
    assert compared == 6  # Ba Thành, TT Ba Tơ, Ba Giang, Ba Khâm, Ba Lế, Long Hiệp
