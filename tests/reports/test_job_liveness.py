"""Issue 15, findings 3 and 4: a job whose worker process died is failed as soon as its page is looked
at (or its message is redelivered) and can be retried; with the broker down a request answers within
seconds, the job is saved as "not sent", the page says so, and it is sent again by the user's retry or
by the periodic sweeper once the broker is back."""

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools

from parindex.celery_app import app as celery_app
from reports import tasks
from reports.liveness import NOT_SENT, WORKER_LOST
from reports.models import JobStatus, ReportJob, ReportType
from reports.services import report_job_retry, report_job_run, report_request
from tests.factories import fill_scores

XLSX = ReportType.COMMUNE_XLSX
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def scored(world):
    fill_scores(world.assessment_a, self_share=1)
    return world


def _dead_pid():
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _running(world, **fields):
    return ReportJob.objects.create(
        report_type=XLSX, assessment=world.assessment_a, year=world.year, unit=world.commune_a,
        requested_by=world.officer_a, status=JobStatus.RUNNING, started_at=timezone.now(), task_id="t-1",
        **fields,
    )


def test_a_job_whose_worker_process_died_is_failed_when_its_page_is_polled(client, scored, media):
    job = _running(scored, worker_host=socket.gethostname(), worker_pid=_dead_pid(), heartbeat_at=timezone.now())
    client.force_login(scored.officer_a)
    status = client.get(reverse("report_job_status", args=[job.pk])).json()
    assert status["status"] == "failed" and status["finished"] and status["error"] == WORKER_LOST


def test_it_can_be_retried_at_once_and_the_retry_renders(client, scored, media, django_capture_on_commit_callbacks):
    job = _running(scored, worker_host=socket.gethostname(), worker_pid=_dead_pid(), heartbeat_at=timezone.now())
    client.force_login(scored.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file and job.error == ""


def test_a_new_request_does_not_redirect_to_the_dead_job(scored, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = report_request(user=scored.officer_a, report_type=XLSX, assessment=scored.assessment_a)
    first.refresh_from_db()
    ReportJob.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING, file="", worker_host="elsewhere",
                                                 worker_pid=4242,
                                                 heartbeat_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        second = report_request(user=scored.officer_a, report_type=XLSX, assessment=scored.assessment_a)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == JobStatus.FAILED and first.error == WORKER_LOST
    assert second.pk != first.pk and second.status == JobStatus.DONE


def test_a_live_process_with_a_fresh_heartbeat_keeps_its_job(client, scored, media):
    job = _running(scored, worker_host=socket.gethostname(), worker_pid=os.getpid(), heartbeat_at=timezone.now())
    client.force_login(scored.officer_a)
    assert client.get(reverse("report_job_status", args=[job.pk])).json()["status"] == "running"


def test_a_message_redelivered_after_its_worker_died_fails_the_job_instead_of_rendering_again(scored, media):
    job = _running(scored, worker_host=socket.gethostname(), worker_pid=_dead_pid())
    report_job_run(job=job, task_id="t-1")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == WORKER_LOST and job.attempts == 0


@contextmanager
def broker_down():
    """The app publishes for real (not eagerly) to a port where nothing listens."""
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    conf.task_always_eager, conf.broker_url = False, CLOSED_PORT_BROKER
    # Celery reads CELERY_BROKER_URL from the environment before its configuration (services run).
    os.environ["CELERY_BROKER_URL"] = CLOSED_PORT_BROKER
    _fresh_connections()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, environ = previous
        if environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environ
        _fresh_connections()


def _fresh_connections():
    # Connection and producer pools are cached per broker URL: drop them so the next publish connects
    # to the broker now configured.
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_the_broker_down_the_request_answers_at_once_and_the_job_is_not_sent(
        client, scored, media, django_capture_on_commit_callbacks):
    client.force_login(scored.officer_a)
    started = time.monotonic()
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_request"), {"report_type": XLSX, "assessment": scored.assessment_a.pk})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 10, f"the request waited {elapsed:.1f} s for the broker"
    job = ReportJob.objects.get()
    assert job.status == JobStatus.NOT_SENT and job.error == NOT_SENT
    page = client.get(response.url).content.decode()
    assert "Chưa gửi được" in page and "Gửi lại" in page
    assert client.get(reverse("report_job_status", args=[job.pk])).json()["finished"]
    # The broker is back (here: tasks run in-process again); the user's "Gửi lại" sends it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.file


def test_the_sweeper_sends_not_sent_jobs_once_the_broker_is_back(scored, media, django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        job = report_request(user=scored.officer_a, report_type=XLSX, assessment=scored.assessment_a)
    job.refresh_from_db()
    assert job.status == JobStatus.NOT_SENT
    with broker_down():
        tasks.report_jobs_fail_stuck.apply()  # still down: stays not sent, nothing raised
    job.refresh_from_db()
    assert job.status == JobStatus.NOT_SENT
    tasks.report_jobs_fail_stuck.apply()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_not_sent_job_is_sent_again_by_a_new_request_of_the_same_report(scored, media,
                                                                          django_capture_on_commit_callbacks):
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        job = report_request(user=scored.officer_a, report_type=XLSX, assessment=scored.assessment_a)
    with django_capture_on_commit_callbacks(execute=True):
        again = report_request(user=scored.officer_a, report_type=XLSX, assessment=scored.assessment_a)
    job.refresh_from_db()
    assert again.pk == job.pk and job.status == JobStatus.DONE


def test_only_failed_or_not_sent_jobs_can_be_retried(scored, media):
    from reports.services import ReportRequestError

    job = _running(scored)
    with pytest.raises(ReportRequestError):
        report_job_retry(job=job)
