"""Jobs that cannot hang: a report job records which worker process renders it and that process's
heartbeat; a job whose process is gone (killed, out of memory, the machine restarted) is marked
failed as soon as anyone looks at it, so that it can be retried at once. A job whose message could
not reach the broker is saved as "not sent" and sent again later. The periodic sweeper
(report_jobs_fail_stuck) stays as the last resort."""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import JobStatus, ReportJob

logger = logging.getLogger(__name__)

WORKER_LOST = ("Tiến trình tạo báo cáo đã dừng đột ngột (máy chủ xử lý bị tắt, khởi động lại hoặc hết bộ nhớ) "
               "nên báo cáo chưa được tạo. Bấm “Thử lại” để tạo lại.")
NOT_SENT = ("Chưa gửi được yêu cầu tới hàng đợi tạo báo cáo (máy chủ hàng đợi đang không kết nối được). "
            "Yêu cầu đã được lưu và sẽ tự động gửi lại khi hàng đợi hoạt động trở lại; bạn cũng có thể bấm “Gửi lại”.")


def heartbeat_seconds():
    return settings.REPORT_HEARTBEAT_SECONDS


def heartbeat_timeout():
    # Three missed beats: a busy machine may delay one, never three.
    return timedelta(seconds=3 * heartbeat_seconds())


def this_worker():
    return {"worker_host": socket.gethostname()[:100], "worker_pid": os.getpid(), "heartbeat_at": timezone.now()}


def _process_alive(pid):
    """True when the process exists and is not a zombie (a killed child not yet reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        return True


def job_worker_alive(job, *, now=None):
    """Whether the process recorded on a running job may still be rendering it. On the same machine the
    process itself is checked (at once); elsewhere its heartbeat (within heartbeat_timeout)."""
    if job.worker_pid is None:
        return True  # claimed before this was recorded, or between retries: the sweeper decides
    now = now or timezone.now()
    if job.heartbeat_at is not None and now - job.heartbeat_at > heartbeat_timeout():
        return False
    if job.worker_host == socket.gethostname()[:100]:
        return _process_alive(job.worker_pid)
    return True


def report_job_liveness_check(*, job, now=None):
    """Fail a running job whose worker process is gone. Returns the job, refreshed when it changed."""
    if job.status != JobStatus.RUNNING or job_worker_alive(job, now=now):
        return job
    changed = ReportJob.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, worker_pid=job.worker_pid, worker_host=job.worker_host,
    ).update(status=JobStatus.FAILED, error=WORKER_LOST, finished_at=timezone.now())
    if changed:
        logger.warning("Report job %s: worker %s pid %s is gone, marked failed", job.pk, job.worker_host,
                       job.worker_pid)
    job.refresh_from_db()
    return job


class Heartbeat:
    """While a job renders, a thread stamps its heartbeat every REPORT_HEARTBEAT_SECONDS (a long
    WeasyPrint layout gives no progress callbacks for a while). Only in a real worker (`enabled`):
    in-process (eager) runs have a person waiting on the request itself."""

    def __init__(self, job_id, *, enabled=True):
        self.job_id, self.enabled = job_id, enabled
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name=f"report-heartbeat-{self.job_id}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        return False

    def _run(self):
        try:
            while not self._stop.wait(heartbeat_seconds()):
                ReportJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
        except Exception:  # noqa: BLE001 - a missed beat must never break the render itself
            logger.exception("Report job %s: heartbeat stopped", self.job_id)
        finally:
            connection.close()


def report_job_send(*, job_id, task_id):
    """Publish the job's task; when the broker cannot be reached (within the short connection timeout)
    the job is saved as not sent, with the reason, instead of failing the request."""
    from .tasks import report_render

    try:
        report_render.apply_async(args=[job_id], task_id=task_id, retry=False)
    except Exception as exc:  # noqa: BLE001 - kombu and redis raise many kinds for an unreachable broker
        logger.warning("Report job %s not sent: %r", job_id, exc)
        ReportJob.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.NOT_SENT]).update(
            status=JobStatus.NOT_SENT, error=NOT_SENT)
        return False
    ReportJob.objects.filter(pk=job_id, status=JobStatus.NOT_SENT).update(status=JobStatus.QUEUED, error="")
    return True


def report_jobs_resend():
    """Send again every job that could not be sent (called by the periodic sweeper once the broker is back)."""
    sent = 0
    for job_id, task_id in ReportJob.objects.filter(status=JobStatus.NOT_SENT).values_list("pk", "task_id"):
        ReportJob.objects.filter(pk=job_id, status=JobStatus.NOT_SENT).update(status=JobStatus.QUEUED)
        if not report_job_send(job_id=job_id, task_id=task_id):
            break  # the broker is still down: the others would wait as long
        sent += 1
    return sent
