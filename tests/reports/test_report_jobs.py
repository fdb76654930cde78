"""Report jobs: reuse of unchanged files, outdated files, the visibility rule, permanent and
transient errors, retry, stuck jobs and the purge of old files. Jobs run through the real Celery
task (eagerly); the commune XLSX is the quickest format to render, so most tests use it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from parindex.models import Score
from reports import tasks
from reports.models import JobStatus, ReportJob, ReportType
from reports.selectors import report_job_is_outdated
from reports.services import (
    ReportRequestError,
    report_job_retry,
    report_job_run,
    report_request,
)
from tests.factories import fill_scores

XLSX = ReportType.COMMUNE_XLSX


@pytest.fixture
def scored(world):
    fill_scores(world.assessment_a, self_share=1)
    return world


def _request(run, user, assessment, report_type=XLSX):
    with run(execute=True):
        job = report_request(user=user, report_type=report_type, assessment=assessment)
    job.refresh_from_db()
    return job


def test_an_unchanged_report_requested_again_is_the_same_finished_job(scored, media,
                                                                      django_capture_on_commit_callbacks):
    first = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    assert first.status == JobStatus.DONE and first.attempts == 1
    again = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    assert again.pk == first.pk
    assert ReportJob.objects.count() == 1


def test_another_user_gets_the_finished_file_without_a_new_rendering(scored, media,
                                                                     django_capture_on_commit_callbacks):
    first = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    other = _request(django_capture_on_commit_callbacks, scored.appraiser, scored.assessment_a)
    assert other.pk != first.pk and other.requested_by == scored.appraiser
    assert other.status == JobStatus.DONE and other.attempts == 0  # never rendered: the file was reused
    assert other.fingerprint == first.fingerprint and other.filename == first.filename
    with first.file.open("rb") as a, other.file.open("rb") as b:
        assert a.read() == b.read()
    assert other.file.name != first.file.name  # each job owns (and purges) its own copy


def test_changed_data_makes_the_file_outdated_and_a_new_request_renders_again(scored, media,
                                                                              django_capture_on_commit_callbacks):
    first = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    assert not report_job_is_outdated(first)
    score = Score.objects.filter(assessment=scored.assessment_a).order_by("item__sort_key").first()
    score.self_score = score.max_points / 2
    score.save()
    assert report_job_is_outdated(first)
    second = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    assert second.pk != first.pk and second.status == JobStatus.DONE and second.attempts == 1
    assert second.fingerprint != first.fingerprint
    assert not report_job_is_outdated(second)


def test_it_refuses_an_assessment_the_user_cannot_see(world, media):
    with pytest.raises(PermissionDenied):
        report_request(user=world.officer_b, report_type=XLSX, assessment=world.assessment_a)
    with pytest.raises(PermissionDenied):
        report_request(user=world.other_appraiser, report_type=ReportType.COMMUNE_PDF, assessment=world.assessment_a)
    assert not ReportJob.objects.exists()


def test_summaries_cover_only_units_the_user_sees(scored, media, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied):
        report_request(user=scored.officer_a, report_type=ReportType.SUMMARY_XLSX, year=scored.year,
                       unit=scored.district)
    with pytest.raises(PermissionDenied):
        report_request(user=scored.other_appraiser, report_type=ReportType.SUMMARY_XLSX, year=scored.year,
                       unit=scored.district)
    with pytest.raises(ReportRequestError):
        report_request(user=scored.appraiser, report_type=ReportType.SUMMARY_XLSX, year=scored.year,
                       unit=scored.commune_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(user=scored.appraiser, report_type=ReportType.SUMMARY_XLSX, year=scored.year,
                             unit=scored.district)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.filename == "tong-hop-chi-so-cchc-2024-huyen-ba-to.xlsx"


def test_a_data_error_fails_the_job_at_once_with_the_reason(scored, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = report_request(user=scored.officer_a, report_type=XLSX, assessment=scored.assessment_a)
    # The data breaks between the request and the rendering.
    Score.objects.filter(assessment=scored.assessment_a).delete()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempts == 1  # not retried
    assert "chưa có bảng điểm" in job.error
    assert job.finished_at is not None and not job.file


def test_a_storage_error_is_retried_then_fails_and_a_retry_succeeds_once_storage_is_back(
        scored, media, django_capture_on_commit_callbacks):
    media.mkdir(parents=True, exist_ok=True)
    blocker = media / "reports"
    blocker.write_text("a file where the reports folder should be")  # makedirs fails: OSError
    job = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    assert job.status == JobStatus.FAILED
    assert job.attempts == 1 + tasks.report_render.max_retries
    assert "lưu trữ" in job.error
    blocker.unlink()
    with django_capture_on_commit_callbacks(execute=True):
        report_job_retry(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.error == "" and job.file
    assert job.attempts == 2 + tasks.report_render.max_retries


def test_only_a_failed_job_can_be_retried(scored, media, django_capture_on_commit_callbacks):
    job = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    with pytest.raises(ReportRequestError):
        report_job_retry(job=job)


def test_a_duplicate_task_message_does_not_run_a_finished_job_again(scored, media,
                                                                    django_capture_on_commit_callbacks):
    job = _request(django_capture_on_commit_callbacks, scored.officer_a, scored.assessment_a)
    tasks.report_render.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1


def _job(world, **fields):
    return ReportJob.objects.create(report_type=XLSX, assessment=world.assessment_a, year=world.year,
                                    unit=world.commune_a, requested_by=world.officer_a, **fields)


def test_jobs_stuck_past_the_time_limit_are_failed_by_the_periodic_task(world, settings):
    settings.REPORT_TASK_TIME_LIMIT = 300
    now = timezone.now()
    stuck_running = _job(world, status=JobStatus.RUNNING, started_at=now - timedelta(seconds=400))
    stuck_queued = _job(world, status=JobStatus.QUEUED)
    ReportJob.objects.filter(pk=stuck_queued.pk).update(created_at=now - timedelta(seconds=400))
    fresh = _job(world, status=JobStatus.RUNNING, started_at=now - timedelta(seconds=60))
    assert tasks.report_jobs_fail_stuck() == 2
    for job in (stuck_running, stuck_queued, fresh):
        job.refresh_from_db()
    assert stuck_running.status == JobStatus.FAILED and "Quá thời gian xử lý (300 giây)" in stuck_running.error
    assert stuck_queued.status == JobStatus.FAILED and "chưa được xử lý" in stuck_queued.error
    assert fresh.status == JobStatus.RUNNING
    # A worker that finally picks up a failed job leaves it alone.
    report_job_run(job=stuck_queued)
    stuck_queued.refresh_from_db()
    assert stuck_queued.status == JobStatus.FAILED and stuck_queued.attempts == 0


def test_files_past_the_retention_period_are_deleted_and_their_jobs_marked(world, media, settings):
    settings.REPORT_RETENTION_DAYS = 30
    now = timezone.now()

    def done(days_ago):
        job = _job(world, status=JobStatus.QUEUED)
        job.file.save("bao-cao.xlsx", ContentFile(b"xlsx"), save=False)
        job.status, job.finished_at, job.filename = JobStatus.DONE, now - timedelta(days=days_ago), "bao-cao.xlsx"
        job.save()
        return job

    old, recent = done(31), done(5)
    old_path = old.file.path
    assert tasks.report_files_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and old.status == JobStatus.FAILED and "30 ngày" in old.error
    assert not media.joinpath(old_path).exists()
    assert recent.status == JobStatus.DONE and recent.file.storage.exists(recent.file.name)
