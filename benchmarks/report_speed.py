"""Report speed against its floors (issue 16, goals 1 and 2), both sides measured in the same run:

1. the report job end to end in a warm process (what a warm worker runs: claim the job, build the
   data, lay out, write the PDF, store the file) against `soffice --headless --convert-to pdf` of
   the same report's DOCX (the manual route: a fresh soffice process per document, as an officer
   runs it). Goal: ours at least 3× faster. LibreOffice is installed for this benchmark only
   (`apt-get install libreoffice-writer-nogui`); without it this part is skipped with a message.
2. the job against bare WeasyPrint of the same final HTML (the two documents laid out and joined,
   nothing else). Goal: ≤ 1,25×.

Runs on a throwaway SQLite database with the demo data (the Ba Thành 2024 report). Prints figures
and ratios; asserts nothing.

    .venv/bin/python benchmarks/report_speed.py [--repeat 7] [--smoke]

`--smoke` runs everything once (one soffice conversion, whose time includes creating its profile).
"""

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import SMOKE_LINE, demo_ba_thanh_2024, django_setup, measure, ratio_line, smoke_option  # noqa: E402

django_setup(throwaway_sqlite=True)

from _reports import bare_weasyprint, final_html  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from reports.models import JobStatus, ReportJob, ReportType  # noqa: E402
from reports.services import report_data_build, report_file_render, report_job_run  # noqa: E402


def job_end_to_end(assessment, user):
    job = ReportJob.objects.create(report_type=ReportType.COMMUNE_PDF, assessment=assessment, year=assessment.year,
                                   unit=assessment.unit, requested_by=user,
                                   status=JobStatus.QUEUED)
    job = report_job_run(job=job)
    if job.status != JobStatus.DONE:
        raise SystemExit(f"the report job failed: {job.error}")
    size = job.file.size
    job.file.delete(save=False)
    job.delete()
    return size


def soffice_convert(docx_path, outdir, profile):
    """Wall and CPU seconds (user + system of the whole process tree) of one conversion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(docx_path)], check=True, capture_output=True, timeout=300)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, help="default 7; 1 with --smoke")
    smoke_option(parser)
    args = parser.parse_args()
    if args.repeat is None:
        args.repeat = 1 if args.smoke else 7
    if args.smoke:
        print(SMOKE_LINE)
    assessment = demo_ba_thanh_2024()
    user = get_user_model().objects.get(username="canbo.bathanh")
    print(f"PAR Index report speed: Ba Thành 2024 PDF, median of {args.repeat} after a warm-up")

    job_wall, job_cpu, size = measure(lambda: job_end_to_end(assessment, user), repeat=args.repeat)
    print(f"  report job end to end (warm process)   {job_wall * 1000:>8.0f} ms wall {job_cpu * 1000:>8.0f} ms CPU"
          f"  {size / 1024:.0f} KiB")
    htmls = final_html(assessment)
    bare_wall, bare_cpu, _ = measure(lambda: bare_weasyprint(htmls), repeat=args.repeat)
    print(f"  bare WeasyPrint of the same HTML        {bare_wall * 1000:>8.0f} ms wall {bare_cpu * 1000:>8.0f} ms CPU")

    soffice_wall = None
    if shutil.which("soffice"):
        with tempfile.TemporaryDirectory(prefix="parindex-soffice-") as tmp:
            tmp = Path(tmp)
            docx = tmp / "bao-cao.docx"
            data = report_data_build(report_type=ReportType.COMMUNE_DOCX, assessment=assessment)
            docx.write_bytes(report_file_render(report_type=ReportType.COMMUNE_DOCX, data=data))
            profile = tmp / "profile"
            if not args.smoke:
                soffice_convert(docx, tmp, profile)  # the first run creates the user profile: not timed
            runs = [soffice_convert(docx, tmp, profile) for _ in range(1 if args.smoke else max(3, args.repeat // 2))]
            soffice_wall = statistics.median(wall for wall, _ in runs)
            soffice_cpu = statistics.median(cpu for _, cpu in runs)
        print(f"  soffice --headless --convert-to pdf     {soffice_wall * 1000:>8.0f} ms wall {soffice_cpu * 1000:>8.0f} ms CPU"
              " (whole process)")
    else:
        print("  soffice not found: the LibreOffice comparison is skipped "
              "(apt-get install libreoffice-writer-nogui to run it)")

    print("\n  ratios (same run)")
    if soffice_wall:
        speedup = soffice_wall / job_wall
        print(ratio_line("soffice time / our job time (wall)", speedup, "≥ 3", speedup >= 3))
        print(ratio_line("soffice time / our job time (CPU)", soffice_cpu / job_cpu, "≥ 3", soffice_cpu / job_cpu >= 3))
        # The ceiling of goal 1 for any job built on WeasyPrint: laying out and writing this HTML
        # alone, with nothing of ours around it.
        print(f"  {'soffice time / bare WeasyPrint time (wall; the ceiling)':<62} {soffice_wall / bare_wall:>6.2f}")
    overhead = job_wall / bare_wall
    print(ratio_line("our job / bare WeasyPrint (wall)", overhead, "≤ 1,25", overhead <= 1.25))
    print(ratio_line("our job / bare WeasyPrint (CPU)", job_cpu / bare_cpu, "≤ 1,25", job_cpu / bare_cpu <= 1.25))
    return 0


if __name__ == "__main__":
    sys.exit(main())
