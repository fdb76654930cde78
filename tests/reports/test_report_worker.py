"""The Ba Thành report made by a REAL Celery worker (services run: PostgreSQL, Redis, a worker on
the "reports" queue sharing MEDIA_ROOT). The test requests the job like the web page does and
waits for the worker through the database."""

import time

import pytest

from parindex.celery_app import app as celery_app
from reports.models import JobStatus, ReportType
from reports.services import report_request

from .conftest import AREA_RESULTS, HEADER, KEY_FIGURES, SIGNATORY, load_demo, pdf_text, save_page_one_png

TIMEOUT = 120


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_ba_thanh_report():
    assert not celery_app.conf.task_always_eager, "the services run needs CELERY_BROKER_URL and a worker"
    demo = load_demo()
    # Autocommit: the job row is committed, then the task is sent to the broker (on_commit).
    job = report_request(user=demo.officer, report_type=ReportType.COMMUNE_PDF, assessment=demo.ba_thanh)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            break
        time.sleep(1)
    assert job.status == JobStatus.DONE, f"status {job.status} after {TIMEOUT} s: {job.error or 'no worker?'}"
    assert job.attempts == 1 and job.progress == 100 and job.started_at and job.finished_at
    text = pdf_text(job.file.path)
    for expected in HEADER + AREA_RESULTS + KEY_FIGURES + [SIGNATORY, "Nơi nhận"]:
        assert expected in text, f"“{expected}” is missing from the PDF text"
    save_page_one_png(job.file.path, "ba-thanh-2024-page1-worker")
