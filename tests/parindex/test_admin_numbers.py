"""The admin reads numbers as the app's pages do (parindex.numbers): "6,5" points, "3.000" dossiers
(three thousand), with the same Vietnamese messages, never Django's "Enter a number"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import Assessment, ServiceFigures
from tests.factories import ServiceFiguresFactory, UserFactory, build_criteria_set


@pytest.fixture
def root_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def item_data(item, **changes):
    return {"criteria_set": item.criteria_set_id, "code": item.code, "name": item.name, "order": item.order,
            "max_points": str(item.max_points), "scoring_guide": "", "evidence_guide": "",
            "scoring_method": item.scoring_method, **changes}


def test_criteria_max_points_take_a_decimal_comma(root_client):
    criteria_set = build_criteria_set()
    item = criteria_set.items.get(code="1.1")
    url = reverse("admin:parindex_item_change", args=[item.pk])
    response = root_client.post(url, item_data(item, max_points="2,5", order="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.max_points == Decimal("2.5")
    # A stored value comes back the Vietnamese way.
    assert 'value="2,5"' in root_client.get(url).content.decode()


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "Điểm tối đa “abc” không phải là số."),
    ("1.000,5", "điểm không dùng dấu phân cách hàng nghìn"),
    ("2,555", "có quá 2 chữ số thập phân"),
    ("-1", "không được âm"),
    ("1e309", "không phải là số"),
])
def test_criteria_max_points_are_refused_in_vietnamese(root_client, typed, message):
    item = build_criteria_set().items.get(code="1.1")
    response = root_client.post(reverse("admin:parindex_item_change", args=[item.pk]), item_data(item, max_points=typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.max_points == Decimal("2")


def test_service_figures_take_grouped_counts_and_comma_rates(root_client, world):
    figures = ServiceFiguresFactory(assessment=world.assessment_a, dossiers_received=946, dossiers_online=900)
    url = reverse("admin:parindex_servicefigures_change", args=[figures.pk])
    response = root_client.post(url, {
        "assessment": world.assessment_a.pk, "dossiers_received": "3.000", "dossiers_online": "2 950",
        "dossiers_fully_online": "1000", "results_digitised": "", "online_rate_published": "98,33",
        "digitised_rate_published": "95.39"})
    assert response.status_code == 302, response.content.decode()[:2000]
    figures.refresh_from_db()
    assert (figures.dossiers_received, figures.dossiers_online, figures.dossiers_fully_online) == (3000, 2950, 1000)
    assert figures.online_rate_published == Decimal("98.33") and figures.digitised_rate_published == Decimal("95.39")


def test_a_count_with_a_decimal_part_is_refused_and_nothing_changes(root_client, world):
    figures = ServiceFiguresFactory(assessment=world.assessment_a)
    response = root_client.post(reverse("admin:parindex_servicefigures_change", args=[figures.pk]), {
        "assessment": world.assessment_a.pk, "dossiers_received": "3,5", "dossiers_online": "99999999999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số hồ sơ tiếp nhận “3,5” phải là số nguyên" in html
    assert "Số hồ sơ trực tuyến (một phần + toàn trình)" in html and "Enter a whole number" not in html
    assert ServiceFigures.objects.get(pk=figures.pk).dossiers_received == 946


def test_documents_declared_in_the_assessment_admin_take_a_grouped_count(root_client, world):
    # Bonus and penalty points are read-only here (the appraisal sheet gives them); the count is typed.
    a = world.assessment_a
    response = root_client.post(reverse("admin:parindex_assessment_change", args=[a.pk]), {
        "strengths": "", "plan_number": "", "item_scores_basis": "items", "documents_declared": "1.200",
        "scores-TOTAL_FORMS": 0, "scores-INITIAL_FORMS": 0, "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Assessment.objects.get(pk=a.pk).documents_declared == 1200


def test_the_year_threshold_takes_a_decimal_comma(root_client, world):
    from parindex.models import EvaluationYear
    from tests.factories import EvaluationYearFactory

    year = EvaluationYearFactory(year=2031, scope=world.province, criteria_set=build_criteria_set())
    url = reverse("admin:parindex_evaluationyear_change", args=[year.pk])
    response = root_client.post(url, {
        "year": "2031", "scope": year.scope_id, "criteria_set": year.criteria_set_id, "theme": "",
        "ranking_scope": year.ranking_scope, "online_filing_threshold": "97,5", "digitisation_threshold": "",
        "self_assessment_deadline_0": "31/12/2031", "self_assessment_deadline_1": "10:00"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert EvaluationYear.objects.get(pk=year.pk).online_filing_threshold == Decimal("97.5")
