"""The services run: a task goes through Redis to a real worker process, which writes to
PostgreSQL; the test reads the outcome back from the database and the result backend."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from parindex.models import ApprovalEvent
from parindex.tasks import deadlines_enforce
from tests.factories import AssessmentFactory, EvaluationYearFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_task_runs_on_a_real_worker_and_writes_to_postgresql():
    assert connection.vendor == "postgresql", "the services run must use PostgreSQL"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "tasks must go to the worker, not run in-process"
    year = EvaluationYearFactory(
        self_assessment_opens=timezone.now() - dt.timedelta(days=20),
        self_assessment_deadline=timezone.now() - dt.timedelta(days=1),
    )
    late = AssessmentFactory(year=year)

    result = deadlines_enforce.delay().get(timeout=90)

    assert result == {"locked": 1}
    event = ApprovalEvent.objects.get(assessment=late)
    assert event.action == "deadline_locked"
    assert event.from_status == event.to_status == "draft"
