"""Fault tests of the services run (issue 15, findings 3 and 4): the test starts ITS OWN worker (own
hostname, pidfile and queue, so the CI worker is never touched), kills its pool process with SIGKILL
in the middle of a render, and checks that the job is failed promptly with the Vietnamese reason and
that a retry renders it; and that with the broker unreachable a request is answered within seconds with
the job saved as not sent."""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from parindex.celery_app import app as celery_app
from reports.liveness import NOT_SENT, WORKER_LOST
from reports.models import JobStatus, ReportJob, ReportType
from reports.services import report_request
from tests.factories import fill_scores

from .test_job_liveness import broker_down

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_worker(tmp_path):
    """A worker of its own on a queue of its own, against the test database."""
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_CONN_MAX_AGE": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REPORT_HEARTBEAT_SECONDS": "1",
    }
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "parindex", "worker", "-Q", queue, "--concurrency=1",
         f"--hostname={queue}@%h", f"--pidfile={tmp_path / 'worker.pid'}", f"--logfile={log}", "--loglevel=INFO",
         "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (log.exists() and "ready." in log.read_text()):
        assert worker.poll() is None, "the test's worker did not start"
        time.sleep(0.5)
    previous = celery_app.conf.task_routes
    celery_app.conf.update(task_routes={"reports.tasks.*": {"queue": queue}})
    celery_app.amqp.__dict__.pop("router", None)
    try:
        yield worker
    finally:
        celery_app.conf.update(task_routes=previous)
        celery_app.amqp.__dict__.pop("router", None)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait(job, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return True
        time.sleep(0.05)
    return False


def test_a_render_whose_pool_process_is_killed_fails_promptly_and_the_retry_renders(client, world, own_worker):
    assert not celery_app.conf.task_always_eager
    fill_scores(world.assessment_a, self_share=1)
    job = report_request(user=world.officer_a, report_type=ReportType.COMMUNE_PDF, assessment=world.assessment_a)
    assert _wait(job, lambda j: j.status == JobStatus.RUNNING and j.worker_pid, 90), job.status
    assert job.worker_pid != own_worker.pid  # the pool process, not the worker's main process
    os.kill(job.worker_pid, signal.SIGKILL)
    killed_at = time.monotonic()
    client.force_login(world.officer_a)
    status = {}
    while time.monotonic() - killed_at < 30:
        status = client.get(reverse("report_job_status", args=[job.pk])).json()
        if status["finished"]:
            break
        time.sleep(0.2)
    print(f"failed {time.monotonic() - killed_at:.1f} s after the kill")
    assert status["status"] == "failed" and status["error"] == WORKER_LOST
    response = client.post(reverse("report_job_retry", args=[job.pk]))
    assert response.status_code == 302
    assert _wait(job, lambda j: j.status in (JobStatus.DONE, JobStatus.FAILED), 120)
    assert job.status == JobStatus.DONE, job.error
    assert own_worker.poll() is None, "the worker itself survives the loss of a pool process"


@contextmanager
def _timer():
    started = time.monotonic()
    result = {}
    yield result
    result["elapsed"] = time.monotonic() - started


def test_with_the_broker_unreachable_the_job_is_not_sent_within_seconds(client, world):
    assert not celery_app.conf.task_always_eager
    fill_scores(world.assessment_a, self_share=1)
    client.force_login(world.officer_a)
    with broker_down(), _timer() as took:
        response = client.post(reverse("report_request"),
                               {"report_type": ReportType.COMMUNE_XLSX, "assessment": world.assessment_a.pk})
    assert response.status_code == 302
    assert took["elapsed"] < 10, f"{took['elapsed']:.1f} s"
    job = ReportJob.objects.get()
    assert job.status == JobStatus.NOT_SENT and job.error == NOT_SENT
    assert "Chưa gửi được" in client.get(response.url).content.decode()
