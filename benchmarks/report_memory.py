"""Report rendering benchmark: time per PDF and memory growth of one long-lived process.

WeasyPrint grows a process that makes a new font configuration per document (stack-notes); the
renderer keeps one per process. This script renders the Ba Thành 2024 report N times in one
process, on a throwaway SQLite database with the demo data, and prints the time per report and
the resident memory every 10 reports, with the growth ratio. It asserts nothing: it is for
comparing changes (and for choosing CELERY_WORKER_MAX_TASKS_PER_CHILD).

    DJANGO_SECRET_KEY=bench .venv/bin/python benchmarks/report_memory.py [--reports 50] [--smoke]

`--smoke` renders 3 reports.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import SMOKE_LINE, demo_ba_thanh_2024, django_setup, rss_mb, smoke_option  # noqa: E402

django_setup(throwaway_sqlite=True)

from reports.data import commune_report_data  # noqa: E402
from reports.pdf import commune_report_pdf  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, help="default 50; 3 with --smoke")
    smoke_option(parser)
    args = parser.parse_args()
    if args.reports is None:
        args.reports = 3 if args.smoke else 50
    if args.smoke:
        print(SMOKE_LINE)
    assessment = demo_ba_thanh_2024()
    print(f"PAR Index report benchmark: {args.reports} PDFs of the Ba Thành 2024 report in one process")

    start = time.perf_counter()
    data = commune_report_data(assessment=assessment)
    first_pdf = commune_report_pdf(data)
    first = time.perf_counter() - start
    baseline = rss_mb()
    print(f"  first report (imports, fonts): {first:.2f} s, {len(first_pdf) / 1024:.0f} KiB, RSS {baseline:.0f} MB")

    times = []
    for n in range(1, args.reports + 1):
        start = time.perf_counter()
        commune_report_pdf(commune_report_data(assessment=assessment))
        times.append(time.perf_counter() - start)
        if n % 10 == 0 or n == args.reports:
            print(f"  after {n:>4} reports: RSS {rss_mb():6.0f} MB, last 10 avg {sum(times[-10:]) / len(times[-10:]):.2f} s")
    growth = rss_mb() - baseline
    print()
    print(f"  warm time per report: {sum(times) / len(times):.2f} s (first/warm ratio {first / (sum(times) / len(times)):.1f})")
    print(f"  memory growth over {args.reports} reports: {growth:.1f} MB ({growth * 1024 / args.reports:.0f} KB per report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
