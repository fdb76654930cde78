"""Worlds for the dashboard tests: the conftest's three communes brought to states through the real
workflow services (tests/parindex/workflow_states.py)."""

import datetime as dt
from decimal import Decimal

from communes.models import Role
from parindex.models import AssessmentStatus
from parindex.services.workflow import results_publish
from tests.factories import MembershipFactory, UserFactory
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def officer_c(world):
    user = UserFactory(username="officer_c")
    MembershipFactory(user=user, unit=world.commune_c, role=Role.COMMUNE_OFFICER)
    return user


def published_approved_unfinished(world):
    """A: published at 85 %; B: approved (not yet published) at 60 %; C: in appraisal at 30 %."""
    drive(world.assessment_a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser,
          appraised_share=Decimal("0.85"))
    results_publish(year=world.year, actor=world.admin, decision_number="15/QĐ-UBND",
                    decision_date=dt.date(2025, 2, 20), assessments=[world.assessment_a])
    drive(world.assessment_b, S.APPROVED, officer=world.officer_b, appraiser=world.appraiser,
          appraised_share=Decimal("0.6"))
    drive(world.assessment_c, S.IN_APPRAISAL, officer=officer_c(world), appraiser=world.other_appraiser,
          appraised_share=Decimal("0.3"))
    for a in (world.assessment_a, world.assessment_b, world.assessment_c):
        a.refresh_from_db()
