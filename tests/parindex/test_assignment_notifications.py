"""Notifications reach the departments assigned areas of a commune, not only the appraisers over it."""

import pytest
from django.core import mail

from parindex.models import AssessmentStatus
from parindex.services.workflow import assessment_submit
from tests.factories import fill_scores
from tests.parindex.two_tier import two_tier

S = AssessmentStatus


@pytest.fixture
def t(world):
    return two_tier(world)


def test_a_submission_is_mailed_to_the_assigned_departments_and_the_coordinator(t, django_capture_on_commit_callbacks):
    w = t.world
    fill_scores(w.assessment_b)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=w.assessment_b, actor=w.officer_b)
    to = {addr for m in mail.outbox for addr in m.to}
    assert {"sotuphap@example.vn", "sotuphap2@example.vn", "sonoivu@example.vn"} <= to
    # Finance holds criterion 2.1 of commune A only: commune B's submission is not theirs.
    assert "sotaichinh@example.vn" not in to
    assert "other_appraiser@example.vn" not in to
