"""Report workers at scale (issue 16, goals 3 and 4), on PostgreSQL and Redis with real Celery workers:

3. one province's reports (≥ 60 communes) rendered by 1 and by 2 worker processes: the speed-up
   (goal ≥ 1,8× on two cores), and a worker process's resident memory after 100 renders against
   after 10 (goal ≤ 1,1×).
4. publication day: every commune's report through the workers, against bare WeasyPrint of the same
   final HTML with the same number of processes (goal: throughput ≥ 0,9× bare). The whole country
   is 3,321 communes; `--communes` takes a sample (the output says how many of how many).

The database in DATABASE_URL is filled once by benchmarks/national_scale.py (run it first, with
`--years 1` at least); this script migrates it, reads it and adds report jobs, which it deletes again.
Each worker it starts listens on a queue of its own, so it never takes work from another worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \
      .venv/bin/python benchmarks/report_workers.py [--communes 60] [--memory-renders 100] [--smoke]

`--smoke` renders 3 reports per run and compares the worker's memory after 2 and 4 renders.
"""

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import BIN, ROOT, SMOKE_LINE, django_setup, ratio_line, rss_mb, smoke_option  # noqa: E402

django_setup(throwaway_sqlite=False)

from _reports import bare_weasyprint, final_html  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from parindex.models import Assessment  # noqa: E402
from reports.models import JobStatus, ReportJob, ReportType  # noqa: E402
from reports.tasks import report_render  # noqa: E402

QUEUE = "bench-reports"


def start_worker(concurrency, max_tasks_per_child=1000):
    env = dict(os.environ, CELERY_WORKER_MAX_TASKS_PER_CHILD=str(max_tasks_per_child))
    worker = subprocess.Popen(
        [str(BIN / "celery"), "-A", "parindex", "worker", "-Q", QUEUE, f"--concurrency={concurrency}",
         f"--max-tasks-per-child={max_tasks_per_child}", "-n", f"bench{concurrency}-{os.getpid()}@%h",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(pool_children(worker.pid)) >= concurrency:
            time.sleep(1)  # let the pool processes finish importing Django
            return worker
        time.sleep(0.5)
    stop_worker(worker)
    raise SystemExit("the benchmark worker did not start within 60 s")


def stop_worker(worker):
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def pool_children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(c) for c in children.read().split()]
    except FileNotFoundError:
        return []


def enqueue(assessments, user):
    jobs = [ReportJob.objects.create(report_type=ReportType.COMMUNE_PDF, assessment=a, year=a.year, unit=a.unit,
                                     requested_by=user, status=JobStatus.QUEUED) for a in assessments]
    for job in jobs:
        report_render.apply_async(args=[job.pk], queue=QUEUE)
    return [job.pk for job in jobs]


def wait_done(job_ids, *, on_progress=None, timeout=3600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finished = ReportJob.objects.filter(pk__in=job_ids, status__in=[JobStatus.DONE, JobStatus.FAILED]).count()
        if on_progress:
            on_progress(finished)
        if finished == len(job_ids):
            failed = ReportJob.objects.filter(pk__in=job_ids, status=JobStatus.FAILED).first()
            if failed:
                raise SystemExit(f"a report job failed: {failed.error}")
            return
        time.sleep(0.2)
    raise SystemExit("the report jobs did not finish in time")


def clean(job_ids):
    for job in ReportJob.objects.filter(pk__in=job_ids):
        job.file.delete(save=False)
    ReportJob.objects.filter(pk__in=job_ids).delete()


def through_workers(assessments, user, concurrency):
    """Seconds for `concurrency` worker processes to render every report (warm workers)."""
    worker = start_worker(concurrency)
    try:
        warm_up = enqueue(assessments[:concurrency], user)  # each pool process imports and loads fonts once
        wait_done(warm_up)
        clean(warm_up)
        started = time.perf_counter()
        job_ids = enqueue(assessments, user)
        wait_done(job_ids)
        elapsed = time.perf_counter() - started
        clean(job_ids)
        return elapsed
    finally:
        stop_worker(worker)


def first_memory_mark(renders):
    return min(10, max(1, renders // 2))


def worker_memory(assessments, user, renders):
    """RSS of the one pool process after 10 renders (fewer when `renders` is small) and after `renders`."""
    worker = start_worker(1)
    samples = {}
    first = first_memory_mark(renders)
    try:
        child = pool_children(worker.pid)[0]
        batch = (assessments * (renders // len(assessments) + 1))[:renders]

        def sample(finished):
            for mark in (first, renders):
                if finished >= mark and mark not in samples:
                    samples[mark] = rss_mb(child)

        job_ids = enqueue(batch, user)
        wait_done(job_ids, on_progress=sample)
        clean(job_ids)
        return samples[first], samples[renders]
    finally:
        stop_worker(worker)


def bare_throughput(htmls, processes):
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(bare_weasyprint, htmls[:processes])  # warm-up, like the warm workers
        started = time.perf_counter()
        pool.map(bare_weasyprint, htmls, chunksize=1)
        return len(htmls) / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, help="reports per run (≥ 60 for goal 3): default 60; 3 with --smoke")
    parser.add_argument("--memory-renders", type=int, help="default 100; 4 with --smoke")
    smoke_option(parser)
    args = parser.parse_args()
    if args.communes is None:
        args.communes = 3 if args.smoke else 60
    if args.memory_renders is None:
        args.memory_renders = 4 if args.smoke else 100
    if args.smoke:
        print(SMOKE_LINE)
    if connection.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL"):
        print("Set DATABASE_URL (PostgreSQL, filled by national_scale.py) and CELERY_BROKER_URL (Redis).",
              file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)  # the database may predate this code's migrations
    latest = Assessment.objects.order_by("-year__year").values_list("year__year", flat=True).first()
    if latest is None:
        print("No assessments: run benchmarks/national_scale.py on this database first.", file=sys.stderr)
        return 2
    national = Assessment.objects.filter(year__year=latest).count()
    scope = (Assessment.objects.filter(year__year=latest).values_list("year__scope", flat=True)
             .order_by("year__scope").first())
    assessments = list(Assessment.objects.filter(year__year=latest, year__scope=scope)
                       .select_related("year", "unit").order_by("unit__code")[:args.communes])
    if len(assessments) < args.communes:
        extra = (Assessment.objects.filter(year__year=latest).exclude(year__scope=scope)
                 .select_related("year", "unit").order_by("unit__code")[:args.communes - len(assessments)])
        assessments += list(extra)
    user, _ = get_user_model().objects.get_or_create(username="bench-reports")
    print(f"PAR Index report workers: {len(assessments)} reports ({latest}; a sample of {national:,} communes), "
          f"{os.cpu_count()} cores")

    one = through_workers(assessments, user, 1)
    print(f"  1 worker process   {one:>7.1f} s   {len(assessments) / one:>5.2f} reports/s")
    two = through_workers(assessments, user, 2)
    print(f"  2 worker processes {two:>7.1f} s   {len(assessments) / two:>5.2f} reports/s")
    htmls = [final_html(a) for a in assessments]
    bare2 = bare_throughput(htmls, 2)
    print(f"  bare WeasyPrint, 2 processes          {bare2:>5.2f} reports/s")
    first = first_memory_mark(args.memory_renders)
    after_first, after_n = worker_memory(assessments, user, args.memory_renders)
    print(f"  worker RSS after {first} renders {after_first:.0f} MB, after {args.memory_renders}: {after_n:.0f} MB")

    print("\n  ratios (same run)")
    print(ratio_line("speed-up, 2 worker processes over 1", one / two, "≥ 1,8", one / two >= 1.8))
    print(ratio_line(f"worker RSS after {args.memory_renders} / after {first}", after_n / after_first, "≤ 1,1",
                     after_n / after_first <= 1.1))
    throughput = len(assessments) / two
    print(ratio_line("publication day: job throughput / bare WeasyPrint (2 proc.)", throughput / bare2, "≥ 0,9",
                     throughput / bare2 >= 0.9))
    return 0


if __name__ == "__main__":
    sys.exit(main())
