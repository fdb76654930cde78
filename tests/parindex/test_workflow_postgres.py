"""Races on PostgreSQL with real transactions: of two people acting on one assessment at the same
moment, exactly one wins and the other gets a clear message.

Two kinds of test. The "held" ones are deterministic: the first action runs in a transaction kept
open (its row lock held) until the second one is seen waiting for that lock in pg_stat_activity,
so the second is decided by PostgreSQL re-checking the conditional UPDATE after the first commits.
The "together" ones release both actions at once from a barrier, several times over."""

from decimal import Decimal

import pytest
from django.db import connection

from communes.models import Role
from parindex.models import Assessment, AssessmentStatus, Score
from parindex.services.appraisal import AppraisalSheetError, appraisal_sheet_save
from parindex.services.workflow import (
    WorkflowError,
    assessment_approve,
    assessment_reopen,
    assessment_start_appraisal,
    assessment_withdraw,
)
from tests.factories import AssessmentFactory, CommuneFactory, MembershipFactory, UserFactory
from tests.parindex.races import race_held, race_together
from tests.parindex.versions import versioned
from tests.parindex.workflow_states import drive

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
S = AssessmentStatus
REFUSALS = (WorkflowError, AppraisalSheetError)


@pytest.fixture(autouse=True)
def _postgresql_only():
    assert connection.vendor == "postgresql", "the services run must use PostgreSQL"


def _fresh(assessment):
    """A separate copy, as another request would have loaded it."""
    return Assessment.objects.get(pk=assessment.pk)


def _outcome(fn):
    try:
        return ("ok", fn())
    except REFUSALS as exc:
        return ("refused", exc.message)


def _race_held(first, second):
    """Both outcomes, the first call's transaction held until the second waits on its lock."""
    return race_held(lambda: _outcome(first), lambda: _outcome(second),
                     first_must=lambda outcome: outcome is not None and outcome[0] == "ok")


def _race_together(*calls):
    return race_together(*(lambda fn=fn: _outcome(fn) for fn in calls))


def _submitted(world):
    return drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)


def test_two_appraisers_starting_the_same_appraisal_one_wins(world):
    a = _submitted(world)
    first, second = _race_held(
        lambda: assessment_start_appraisal(assessment=_fresh(a), actor=world.appraiser).status,
        lambda: assessment_start_appraisal(assessment=_fresh(a), actor=world.admin).status,
    )
    assert first == ("ok", S.IN_APPRAISAL)
    assert second[0] == "refused" and "vừa được người khác cập nhật" in second[1] and "Đang thẩm định" in second[1]
    assert a.events.filter(action="start_appraisal").count() == 1


def test_a_withdrawal_racing_the_start_of_appraisal_one_wins(world):
    a = _submitted(world)
    first, second = _race_held(
        lambda: assessment_withdraw(assessment=_fresh(a), actor=world.officer_a).status,
        lambda: assessment_start_appraisal(assessment=_fresh(a), actor=world.appraiser).status,
    )
    assert first == ("ok", S.DRAFT)
    assert second[0] == "refused" and "Đang tự đánh giá" in second[1]
    assert _fresh(a).status == S.DRAFT
    assert list(a.events.order_by("id").values_list("action", flat=True)) == ["submit", "withdraw"]


def test_an_approval_racing_a_reopen_one_wins(world):
    a = drive(world.assessment_a, S.APPRAISED, officer=world.officer_a, appraiser=world.appraiser)
    first, second = _race_held(
        lambda: assessment_reopen(assessment=_fresh(a), actor=world.admin, reason="Chấm lại",
                                  to_status=S.IN_APPRAISAL).status,
        lambda: assessment_approve(assessment=_fresh(a), actor=world.appraiser).status,
    )
    assert first == ("ok", S.IN_APPRAISAL)
    assert second[0] == "refused" and "người khác" in second[1]
    assert _fresh(a).status == S.IN_APPRAISAL and not a.events.filter(action="approve").exists()


def test_two_appraisers_saving_the_sheet_from_the_same_version_one_wins(world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    score = Score.objects.get(assessment=a, item__code="1.1")
    version = score.version

    def save(actor, value):
        return lambda: appraisal_sheet_save(
            assessment=_fresh(a), actor=actor,
            values={"scores": {score.id: {"appraised_score": value, "version": version}}}).changed[0].version

    first, second = _race_held(save(world.appraiser, "1,5"), save(world.admin, "0,5"))
    assert first == ("ok", version + 1)
    assert second[0] == "refused" and "người khác" in second[1]
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.5")


def test_a_sheet_save_racing_the_approval_changes_nothing_after_it(world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    score = Score.objects.get(assessment=a, item__code="1.1")
    version = a.version
    first, second = _race_held(
        lambda: assessment_approve(assessment=_fresh(a), actor=world.admin).status,
        lambda: appraisal_sheet_save(assessment=_fresh(a), actor=world.appraiser, expected_version=version,
                                     values={"scores": versioned({score.id: {"appraised_score": "0"}})}),
    )
    assert first == ("ok", S.APPROVED)
    assert second[0] == "refused"
    score.refresh_from_db()
    assert score.appraised_score == Decimal("2.00")


def test_released_together_exactly_one_of_two_appraisers_wins_every_time(world):
    for i in range(6):
        commune = CommuneFactory(name=f"Đua {i}", code=f"RACE{i}", parent=world.district)
        officer = UserFactory(username=f"officer_race_{i}")
        MembershipFactory(user=officer, unit=commune, role=Role.COMMUNE_OFFICER)
        a = drive(AssessmentFactory(year=world.year, unit=commune), S.SUBMITTED, officer=officer,
                  appraiser=world.appraiser)
        outcomes = _race_together(
            lambda a=a: assessment_start_appraisal(assessment=_fresh(a), actor=world.appraiser).status,
            lambda a=a: assessment_start_appraisal(assessment=_fresh(a), actor=world.admin).status,
        )
        assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
        assert a.events.filter(action="start_appraisal").count() == 1
