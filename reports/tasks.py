"""Celery tasks of the reports queue: thin wrappers over reports.services."""

from celery import Task, shared_task

from . import services
from .models import ReportJob

SOFT_LIMIT, HARD_LIMIT = services.report_time_limits()


class ReportRenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Reached only when retries are exhausted (or the error escaped the service): record why.
        job_id = args[0] if args else kwargs.get("job_id")
        if job_id is not None:
            services.report_job_fail(job_id=job_id, error=services.describe_error(exc))


@shared_task(
    bind=True, base=ReportRenderTask, name="reports.tasks.report_render",
    autoretry_for=services.TRANSIENT_ERRORS, retry_backoff=5, retry_backoff_max=120, retry_jitter=True,
    max_retries=3, soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT, acks_late=True, reject_on_worker_lost=True,
)
def report_render(self, job_id):
    job = ReportJob.objects.filter(pk=job_id).select_related("assessment", "year", "unit").first()
    if job is None:  # deleted meanwhile
        return None
    job = services.report_job_run(job=job, task_id=self.request.id, heartbeat=not self.request.is_eager)
    return job.status


@shared_task(name="reports.tasks.report_jobs_fail_stuck")
def report_jobs_fail_stuck():
    return services.report_jobs_fail_stuck()


@shared_task(name="reports.tasks.report_files_purge")
def report_files_purge():
    return services.report_files_purge()
