"""Every dashboard page, and its export, costs the same number of queries for 10 communes as for 200:
aggregates are computed by the database, never one query per commune."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parindex.models import Assessment, AssessmentStatus, Score
from parindex.views.dashboards import PAGES
from tests.factories import AssessmentFactory, CommuneFactory

pytestmark = pytest.mark.django_db
S = AssessmentStatus


def _grow(world, n):
    """n more communes in A's district: a third approved, a third published (appraised at the
    maximum), the rest drafts. The states are written directly: only the size matters here, the
    workflow that reaches them is tested elsewhere."""
    assessments = [AssessmentFactory(year=world.year, unit=CommuneFactory(name=f"Xã số {i:03d}", code=f"Q{i:04d}",
                                                                           parent=world.district))
                   for i in range(n)]
    ids = [a.id for a in assessments]
    Score.objects.filter(assessment_id__in=ids).update(self_score=F("max_points"), appraised_score=F("max_points"))
    Assessment.objects.filter(id__in=ids[: n // 3]).update(status=S.APPROVED)
    Assessment.objects.filter(id__in=ids[n // 3: 2 * n // 3]).update(status=S.PUBLISHED)
    return ids


def _queries(client, url, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


def _counts(world, client, n):
    ids = _grow(world, n)
    client.force_login(world.admin)
    compare = {"xa": ids[:2]}
    counts = {}
    for slug, name, _ in PAGES:
        query = compare if slug == "so-sanh" else {}
        counts[slug] = _queries(client, reverse(name, args=[world.year.pk]), query)
        counts[f"{slug}.xlsx"] = _queries(client, reverse("dashboard_export", args=[world.year.pk, slug]), query)
    return counts


def test_every_page_costs_the_same_queries_for_10_and_200_communes(world, client):
    small = _counts(world, client, 10)
    Assessment.objects.filter(unit__code__startswith="Q").delete()
    large = _counts(world, client, 200)
    assert large == small
    assert max(small.values()) <= 25, small
