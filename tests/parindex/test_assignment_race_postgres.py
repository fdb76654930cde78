"""On PostgreSQL with real transactions: two department appraisers saving different areas of one
commune at the same moment both succeed; two saving the same item from the same loaded version get
one success and one conflict (never a silent overwrite)."""

from decimal import Decimal

import pytest

from parindex.models import Assessment, AssessmentStatus, Score
from parindex.services.appraisal import appraisal_sheet_save
from parindex.services.assignments import assignment_save
from parindex.services.workflow import assessment_start_appraisal
from tests.parindex.test_workflow_postgres import _postgresql_only, _race_held, _race_together  # noqa: F401
from tests.parindex.two_tier import two_tier
from tests.parindex.workflow_states import drive

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
S = AssessmentStatus


@pytest.fixture
def started(world):
    t = two_tier(world)
    # Area 2 as a whole to finance, so that each department has one area of commune A.
    assignment_save(year=world.year, actor=t.coordinator, item=t.items["2"], team=t.finance)
    a = drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=t.coordinator)
    t.assessment = assessment_start_appraisal(assessment=a, actor=t.coordinator)
    return t


def _save(t, actor, code, value):
    """A save as the sheet sends it: the page's sheet version and each item's version as loaded."""
    a = Assessment.objects.get(pk=t.assessment.pk)
    score = Score.objects.get(assessment=a, item__code=code)
    version, item_version = a.version, score.version

    def run():
        fresh = Assessment.objects.get(pk=a.pk)
        values = {"scores": {score.id: {"appraised_score": value, "version": item_version}}}
        return len(appraisal_sheet_save(assessment=fresh, actor=actor, values=values,
                                        expected_version=version).changed)
    return run


def _value(t, code):
    return Score.objects.get(assessment=t.assessment, item__code=code).appraised_score


def test_two_departments_saving_different_areas_at_once_both_succeed(started):
    t = started
    first, second = _race_held(_save(t, t.justice_appraiser, "1.1", "1"), _save(t, t.finance_appraiser, "2.1", "1"))
    assert first == ("ok", 1) and second == ("ok", 1)
    assert _value(t, "1.1") == Decimal("1") and _value(t, "2.1") == Decimal("1")


def test_two_appraisers_saving_the_same_item_at_once_one_gets_a_conflict(started):
    t = started
    first, second = _race_held(_save(t, t.justice_appraiser, "1.1", "1"), _save(t, t.justice_colleague, "1.1", "0"))
    assert first == ("ok", 1)
    assert second[0] == "refused" and "người khác" in second[1]
    assert _value(t, "1.1") == Decimal("1")


def test_released_together_different_areas_always_both_succeed_and_the_same_item_conflicts(started):
    t = started
    for i in range(5):
        value = str(i % 2)
        outcomes = _race_together(_save(t, t.justice_appraiser, "1.2", value),
                                  _save(t, t.finance_appraiser, "2.1", value))
        assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
        outcomes = _race_together(_save(t, t.justice_appraiser, "1.1", f"{i % 2},5"),
                                  _save(t, t.justice_colleague, "1.1", f"{i % 2},25"))
        assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
