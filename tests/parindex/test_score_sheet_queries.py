"""The sheet renders and saves in a constant number of queries, whatever the size of the set."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parindex.models import Evidence, Score
from parindex.selectors.sheet import score_signature_of
from tests.factories import AssessmentFactory, DocumentFactory, EvaluationYearFactory, build_criteria_set

SMALL = ((Decimal("6"), 3), (Decimal("4"), 2))
LARGE = tuple((Decimal("12.5"), 12) for _ in range(8))  # 8 areas, 104 leaves
MAX_QUERIES = 25


def assessment_with(world, shape, year):
    evaluation_year = EvaluationYearFactory(year=year, scope=world.province, criteria_set=build_criteria_set(shape))
    assessment = AssessmentFactory(year=evaluation_year, unit=world.commune_a)
    # Some evidence and register documents, so that their loading is part of the count.
    documents = [DocumentFactory(assessment=assessment) for _ in range(3)]
    for i, score in enumerate(assessment.scores.all()):
        Evidence.objects.create(score=score, document=documents[i % 3], locator=f"trang {i}")
    return assessment


def full_post(assessment):
    data = {}
    for s in Score.objects.filter(assessment=assessment):
        data[f"s-{s.id}-ver"] = str(s.version)
        data[f"s-{s.id}-score"] = str((s.max_points / 2).quantize(Decimal("0.01")))
        data[f"s-{s.id}-note"] = "Đã thực hiện"
        data[f"s-{s.id}-orig"] = score_signature_of(s)
    return data


def count(callable_):
    with CaptureQueriesContext(connection) as ctx:
        response = callable_()
    return response, len(ctx.captured_queries)


@pytest.fixture
def sizes(world):
    return assessment_with(world, SMALL, 2025), assessment_with(world, LARGE, 2026)


def test_sheet_get_uses_the_same_queries_for_7_and_104_items(client, world, sizes, django_assert_max_num_queries):
    client.force_login(world.officer_a)
    counts = []
    for assessment in sizes:
        url = reverse("score_sheet", args=[assessment.pk])
        client.get(url)  # warm the session and template caches
        with django_assert_max_num_queries(MAX_QUERIES):
            response, n = count(lambda url=url: client.get(url))
        assert response.status_code == 200
        counts.append(n)
    assert counts[0] == counts[1]


def test_sheet_post_saving_every_item_uses_the_same_queries(client, world, sizes, django_assert_max_num_queries):
    client.force_login(world.officer_a)
    counts = []
    for assessment in sizes:
        url = reverse("score_sheet", args=[assessment.pk])
        client.get(url)
        data = full_post(assessment)
        with django_assert_max_num_queries(MAX_QUERIES):
            response, n = count(lambda url=url, data=data: client.post(url, data))
        assert response.status_code == 302
        leaves = assessment.scores.count()
        assert Score.objects.filter(assessment=assessment, self_score__isnull=False).count() == leaves
        assert Score.history.filter(assessment_id=assessment.id).count() == leaves
        counts.append(n)
    assert counts[0] == counts[1]


def test_sheet_post_with_an_error_re_renders_in_constant_queries(client, world, sizes,
                                                                  django_assert_max_num_queries):
    client.force_login(world.officer_a)
    counts = []
    for assessment in sizes:
        url = reverse("score_sheet", args=[assessment.pk])
        client.get(url)
        data = full_post(assessment)
        first = Score.objects.filter(assessment=assessment).order_by("id").first()
        data[f"s-{first.id}-score"] = "999"
        with django_assert_max_num_queries(MAX_QUERIES):
            response, n = count(lambda url=url, data=data: client.post(url, data))
        assert response.status_code == 200
        counts.append(n)
    assert counts[0] == counts[1]


def test_quality_check_page_uses_constant_queries(client, world, sizes, django_assert_max_num_queries):
    client.force_login(world.officer_a)
    counts = []
    for assessment in sizes:
        url = reverse("score_sheet_check", args=[assessment.pk])
        client.get(url)
        with django_assert_max_num_queries(MAX_QUERIES):
            response, n = count(lambda url=url: client.get(url))
        assert response.status_code == 200
        counts.append(n)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("query", ["?view=grid", "?view=grid&loc=thieu-minh-chung"])
def test_grid_view_uses_the_same_queries_for_7_and_104_items(client, world, sizes, query,
                                                              django_assert_max_num_queries):
    client.force_login(world.officer_a)
    counts = []
    for assessment in sizes:
        url = reverse("score_sheet", args=[assessment.pk]) + query
        client.get(url)
        with django_assert_max_num_queries(MAX_QUERIES):
            response, n = count(lambda url=url: client.get(url))
        assert response.status_code == 200
        assert response.content.decode().count("data-grid-row") == assessment.scores.count()
        counts.append(n)
    assert counts[0] == counts[1]


def test_appraisal_grid_view_uses_the_same_queries_for_7_and_104_items(client, world, sizes,
                                                                        django_assert_max_num_queries):
    from parindex.services.workflow import assessment_start_appraisal, assessment_submit
    from tests.factories import fill_scores

    client.force_login(world.appraiser)
    counts = []
    for assessment in sizes:
        fill_scores(assessment)
        assessment.refresh_from_db()
        assessment = assessment_submit(assessment=assessment, actor=world.officer_a)
        assessment = assessment_start_appraisal(assessment=assessment, actor=world.appraiser)
        url = reverse("appraisal_sheet", args=[assessment.pk]) + "?view=grid"
        client.get(url)
        with django_assert_max_num_queries(MAX_QUERIES + 10):
            response, n = count(lambda url=url: client.get(url))
        assert response.status_code == 200
        assert response.content.decode().count("data-grid-row") == assessment.scores.count()
        counts.append(n)
    assert counts[0] == counts[1]
