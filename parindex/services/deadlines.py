"""The deadline jobs: lock notices for stages that closed before the commune (or the appraiser)
acted, and reminders N days before each deadline. Each runs from Celery beat (parindex.tasks) and
is idempotent: a DeadlineNotice row, unique per assessment, stage, kind and deadline, records what
was done, so a second run (or two runs at once) sends nothing twice.

The locks themselves need no job: every service checks stage_lock_reason at the moment of the
action. The job makes the lock visible: a "deadline_locked" approval event and a mail."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from parindex.models import (
    Assessment,
    DeadlineNotice,
    DeadlineNoticeKind,
    EvaluationYear,
    LockException,
)
from parindex.services.notifications import deadline_reminder_notify
from parindex.services.workflow import (
    STAGE_DEADLINE_FIELDS,
    STAGE_WAITING_STATUSES,
    deadline_lock_record,
    stage_deadline,
)

logger = logging.getLogger(__name__)


@dataclass
class DeadlineRun:
    locked: int = 0
    reminded: int = 0
    mails: int = 0
    failed: int = 0


def _open_years():
    # A published year is frozen: nothing is waiting any more.
    return EvaluationYear.objects.filter(published_at__isnull=True).select_related("criteria_set")


def _waiting(year, stage, now, *, exception_beyond):
    """Assessments of `year` still waiting for `stage`, without an exception running past `exception_beyond`."""
    excepted = LockException.objects.filter(assessment=OuterRef("pk"), stage=stage, until__gte=exception_beyond)
    return (
        Assessment.objects.filter(year=year, status__in=STAGE_WAITING_STATUSES[stage])
        .exclude(Exists(excepted))
        .select_related("unit", "year", "year__criteria_set")
    )


def deadlines_enforce(*, now=None):
    """Record, once per assessment, stage and deadline, that the stage closed on those who had not
    acted, and tell them. An active lock exception postpones the record until it expires."""
    now = now or timezone.now()
    run = DeadlineRun()
    for year in _open_years():
        for stage in STAGE_DEADLINE_FIELDS:
            deadline = stage_deadline(year=year, stage=stage)
            if deadline is None or deadline >= now:
                continue
            done = DeadlineNotice.objects.filter(
                assessment=OuterRef("pk"), stage=stage, kind=DeadlineNoticeKind.LOCKED, deadline=deadline,
            )
            for assessment in _waiting(year, stage, now, exception_beyond=now).exclude(Exists(done)):
                try:
                    with transaction.atomic():
                        DeadlineNotice.objects.create(assessment=assessment, stage=stage,
                                                      kind=DeadlineNoticeKind.LOCKED, deadline=deadline)
                        deadline_lock_record(assessment=assessment, stage=stage, deadline=deadline)
                except IntegrityError:
                    continue  # a concurrent run recorded it first
                run.locked += 1
    return run


def _reminder_days(days):
    days = settings.DEADLINE_REMINDER_DAYS if days is None else days
    return sorted({int(d) for d in days if int(d) > 0})


def deadline_reminders_send(*, now=None, days=None):
    """Mail a reminder N days before each open deadline (N from settings.DEADLINE_REMINDER_DAYS) to
    the people of each assessment still waiting for that stage. Only the most urgent reminder due is
    sent: a first run two days before a deadline sends the 2-day reminder, not the 7-day one too."""
    now = now or timezone.now()
    days = _reminder_days(days)
    run = DeadlineRun()
    if not days:
        return run
    for year in _open_years():
        for stage in STAGE_DEADLINE_FIELDS:
            deadline = stage_deadline(year=year, stage=stage)
            if deadline is None or deadline <= now:
                continue
            due = [n for n in days if deadline - dt.timedelta(days=n) <= now]
            if not due:
                continue
            n = min(due)
            sent = DeadlineNotice.objects.filter(
                assessment=OuterRef("pk"), stage=stage, kind=DeadlineNoticeKind.REMINDER, deadline=deadline,
                days_before__lte=n,
            )
            # A commune whose deadline was extended past the year's one is not reminded of the old date.
            for assessment in _waiting(year, stage, now, exception_beyond=deadline).exclude(Exists(sent)):
                try:
                    with transaction.atomic():
                        notice = DeadlineNotice.objects.create(
                            assessment=assessment, stage=stage, kind=DeadlineNoticeKind.REMINDER,
                            days_before=n, deadline=deadline,
                        )
                        notice.recipients = deadline_reminder_notify(
                            assessment=assessment, stage=stage, deadline=deadline, days_before=n,
                        )
                        notice.save(update_fields=["recipients"])
                except IntegrityError:
                    continue
                except OSError:
                    # Nothing recorded: the next run tries again.
                    logger.exception("Không gửi được thư nhắc hạn cho %s", assessment)
                    run.failed += 1
                    continue
                run.reminded += 1
                run.mails += len(notice.recipients)
    return run
