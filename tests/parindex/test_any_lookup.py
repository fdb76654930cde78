"""`field__any=values`: the rows of `field__in=values`, with the values as one array parameter on
PostgreSQL (parindex/lookups.py). Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.models import Assessment, Score
from tests.factories import AssessmentFactory, CommuneFactory, EvaluationYearFactory


@pytest.fixture
def assessments(db):
    year = EvaluationYearFactory()
    return [AssessmentFactory(year=year, unit=CommuneFactory(parent=year.scope)) for _ in range(4)]


def _ids(queryset):
    return sorted(queryset.values_list("id", flat=True))


def test_any_finds_the_rows_in_finds_on_a_foreign_key(assessments):
    wanted = [assessments[0].id, assessments[2].id]
    assert _ids(Score.objects.filter(assessment_id__any=wanted)) == _ids(Score.objects.filter(assessment_id__in=wanted))
    assert _ids(Score.objects.filter(assessment_id__any=wanted))


def test_any_finds_the_rows_in_finds_on_a_primary_key(assessments):
    wanted = [a.id for a in assessments[1:]]
    assert _ids(Assessment.objects.filter(id__any=wanted)) == wanted


def test_any_ignores_none_and_repeated_values_as_in_does(assessments):
    a, b = assessments[0].id, assessments[1].id
    wanted = [a, None, b, a]
    assert _ids(Assessment.objects.filter(id__any=wanted)) == _ids(Assessment.objects.filter(id__in=wanted)) == [a, b]


def test_any_of_an_empty_list_finds_nothing_without_a_query(assessments):
    with CaptureQueriesContext(connection) as ctx:
        assert list(Score.objects.filter(assessment_id__any=[])) == []
        assert list(Assessment.objects.filter(id__any=[None])) == []
    assert len(ctx.captured_queries) == 0


def test_excluding_any_keeps_the_other_rows(assessments):
    wanted = [assessments[0].id]
    assert _ids(Assessment.objects.exclude(id__any=wanted)) == _ids(Assessment.objects.exclude(id__in=wanted))
    assert _ids(Assessment.objects.exclude(id__any=[])) == _ids(Assessment.objects.all())


def test_any_of_a_queryset_is_an_in_subquery(assessments):
    chosen = Assessment.objects.filter(id__in=[assessments[1].id, assessments[3].id]).values("id")
    assert _ids(Score.objects.filter(assessment_id__any=chosen)) == _ids(Score.objects.filter(assessment_id__in=chosen))


def test_any_sends_the_values_as_one_parameter_on_postgresql(assessments):
    if connection.vendor != "postgresql":
        pytest.skip("the array form is PostgreSQL's; elsewhere `__any` is `IN (…)`")
    ids = [a.id for a in assessments]
    sql, params = Score.objects.filter(assessment_id__any=ids).query.sql_with_params()
    assert '"assessment_id" = ANY(%s)' in sql
    assert list(params) == [ids]


def test_any_is_in_on_sqlite(assessments):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    ids = [a.id for a in assessments]
    sql, params = Score.objects.filter(assessment_id__any=ids).query.sql_with_params()
    assert " IN (" in sql
    assert list(params) == ids
