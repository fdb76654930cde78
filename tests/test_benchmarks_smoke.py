"""Every benchmark script runs in its `--smoke` mode (tiny data, few repeats) and prints its figures
and ratio lines, so that a renamed function or a changed page breaks the suite, not the next
measurement. The figures themselves mean nothing here and are not checked.

The scripts run as they are run by hand: a subprocess of this Python, on the project's settings.
Those that need PostgreSQL, Redis and Celery workers are services tests; they work in throwaway
databases named parindex_smoke_*, and their workers listen on a Redis database (13) of their own,
so they never take the services run's worker's tasks."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from benchmarks._setup import DEMO_TEMPLATE_ENV

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
SMOKE_REDIS_DB = 13


def run_smoke(script, *args, env=None, timeout=120, tmp_path):
    """Run `benchmarks/<script> --smoke`; return its output after checking the exit code and the
    first line that says its figures are not measurements."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    environment.update({"DJANGO_SETTINGS_MODULE": "parindex.settings", "DJANGO_SECRET_KEY": "benchmark-smoke-only",
                        "MEDIA_ROOT": str(tmp_path / "media"), **(env or {})})
    result = subprocess.run([sys.executable, str(BENCHMARKS / script), "--smoke", *args], cwd=ROOT,
                            env=environment, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert result.stdout.startswith("SMOKE RUN"), result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """One migrated SQLite database with the demo, which each SQLite script copies instead of
    migrating and loading the demo itself (benchmarks/_setup.py, DEMO_TEMPLATE_ENV)."""
    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.sqlite3"
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    environment.update({"DJANGO_SETTINGS_MODULE": "parindex.settings", "DJANGO_SECRET_KEY": "benchmark-smoke-only",
                        "MEDIA_ROOT": str(folder / "media"), "DATABASE_URL": f"sqlite:///{path}"})
    build = ("import django; django.setup(); from django.core.management import call_command; "
             "call_command('migrate', verbosity=0); call_command('load_demo', verbosity=0)")
    result = subprocess.run([sys.executable, "-c", build], cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    # The demo's evidence files stay with its database: the scripts read and add files there.
    return {DEMO_TEMPLATE_ENV: str(path), "MEDIA_ROOT": environment["MEDIA_ROOT"]}


def assert_lines(output, *patterns):
    for pattern in patterns:
        assert re.search(pattern, output, re.MULTILINE), f"no line matching {pattern!r} in:\n{output}"


RATIO = r"\s+-?\d+\.\d+\s+goal .* (met|NOT MET)$"


def test_report_speed_smoke_times_the_job_bare_weasyprint_and_soffice_when_present(tmp_path, demo_template):
    output = run_smoke("report_speed.py", env=demo_template, tmp_path=tmp_path)
    assert_lines(output,
                 r"^  report job end to end \(warm process\) +\d+ ms wall +\d+ ms CPU +\d+ KiB$",
                 r"^  bare WeasyPrint of the same HTML +\d+ ms wall +\d+ ms CPU$",
                 r"^  our job / bare WeasyPrint \(wall\)" + RATIO,
                 r"^  our job / bare WeasyPrint \(CPU\)" + RATIO)
    if "soffice not found" not in output:
        assert_lines(output,
                     r"^  soffice --headless --convert-to pdf +\d+ ms wall +\d+ ms CPU",
                     r"^  soffice time / our job time \(wall\)" + RATIO,
                     r"^  soffice time / our job time \(CPU\)" + RATIO,
                     r"^  soffice time / bare WeasyPrint time \(wall; the ceiling\) +\d+\.\d\d$")


def test_report_memory_smoke_renders_three_reports_and_prints_growth(tmp_path, demo_template):
    output = run_smoke("report_memory.py", env=demo_template, tmp_path=tmp_path)
    assert_lines(output,
                 r"^  first report \(imports, fonts\): \d+\.\d+ s, \d+ KiB, RSS \d+ MB$",
                 r"^  after +3 reports: RSS +\d+ MB",
                 r"^  warm time per report: \d+\.\d+ s \(first/warm ratio \d+\.\d\)$",
                 r"^  memory growth over 3 reports: -?\d+\.\d MB")


def test_autosave_smoke_posts_both_sheet_sizes(tmp_path, demo_template):
    output = run_smoke("autosave.py", env=demo_template, tmp_path=tmp_path)
    assert_lines(output, r"^Per-item autosave on sqlite \(3 requests each, after 1 warm-up\):$")
    sizes = re.findall(r"^ +(\d+) items: p50 +\d+\.\d ms +p95 +\d+\.\d ms +max +\d+\.\d ms +queries \d+–\d+$",
                       output, re.MULTILINE)
    assert len(sizes) == 2 and int(sizes[0]) < int(sizes[1]), output


# --- services: PostgreSQL, Redis, Celery workers -------------------------------------------------

def postgres_server():
    """Host, port and user of the PostgreSQL the services run uses (DATABASE_URL), else the local one."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme.startswith("postgres"):
        return {"host": url.hostname or "127.0.0.1", "port": url.port or 5432, "user": url.username or "postgres"}
    return {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def database_url(name):
    server = postgres_server()
    return f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}"


def smoke_broker_url():
    """The services run's Redis, on a database of its own: the run's worker never sees these tasks."""
    url = urlsplit(os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
    return urlunsplit((url.scheme, url.netloc, f"/{SMOKE_REDIS_DB}", "", ""))


def drop_database(name):
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(dbname="postgres", **postgres_server())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        connection.close()


@pytest.fixture(scope="module")
def national_scale_run(tmp_path_factory):
    """national_scale.py --smoke on a throwaway database, which report_workers.py then reads."""
    import psycopg2
    from psycopg2 import sql

    name = f"parindex_smoke_national_{os.getpid()}"
    connection = psycopg2.connect(dbname="postgres", **postgres_server())
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
    try:
        output = run_smoke("national_scale.py", env={"DATABASE_URL": database_url(name)}, timeout=300,
                           tmp_path=tmp_path_factory.mktemp("national"))
        yield database_url(name), output
    finally:
        drop_database(name)


@pytest.mark.services
def test_national_scale_smoke_times_every_query_and_both_sides_of_each_ratio(national_scale_run):
    _, output = national_scale_run
    assert_lines(output,
                 r"^PAR Index national-scale benchmark: 40 communes × 1 years on PostgreSQL$",
                 r"^  rows: 40 assessments, [\d,]+ scores$",
                 r"^  totals of one province \(2 communes\) +\d+\.\d ms +\d+ queries$",
                 r"^  totals of the country \(40 communes\) +\d+\.\d ms +\d+ queries$",
                 r"^  ranking of one province +\d+\.\d ms +\d+ queries$",
                 r"^  visibility: assessments an appraiser sees \(count\) +\d+\.\d ms +\d+ queries$",
                 r"^  score sheet data of one commune +\d+\.\d ms +\d+ queries$",
                 r"^  ratio national/province time: \d+\.\d for 20\.0× the communes$")
    ratios = re.findall(r"^  (.+?) +ORM +\d+\.\d ms +SQL +\d+\.\d ms +ratio +\d+\.\d\d +goal ≤ 1,3 (?:met|NOT MET)$",
                        output, re.MULTILINE)
    assert ratios == ["totals of one province (2)", "totals of the country (40)", "ranking of one province"], output


@pytest.mark.services
def test_report_workers_smoke_renders_through_one_and_two_workers_and_bare_weasyprint(national_scale_run, tmp_path):
    url, _ = national_scale_run
    output = run_smoke("report_workers.py", env={"DATABASE_URL": url, "CELERY_BROKER_URL": smoke_broker_url()},
                       timeout=300, tmp_path=tmp_path)
    assert_lines(output,
                 r"^PAR Index report workers: 3 reports \(2021; a sample of 40 communes\)",
                 r"^  1 worker process +\d+\.\d s +\d+\.\d\d reports/s$",
                 r"^  2 worker processes +\d+\.\d s +\d+\.\d\d reports/s$",
                 r"^  bare WeasyPrint, 2 processes +\d+\.\d\d reports/s$",
                 r"^  worker RSS after 2 renders \d+ MB, after 4: \d+ MB$",
                 r"^  speed-up, 2 worker processes over 1" + RATIO,
                 r"^  worker RSS after 4 / after 2" + RATIO,
                 r"^  publication day: job throughput / bare WeasyPrint \(2 proc\.\)" + RATIO)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.services
def test_load_test_smoke_runs_every_kind_of_person_without_errors(tmp_path):
    name = f"parindex_smoke_load_{os.getpid()}"
    try:
        output = run_smoke("load_test.py", "--database", name, "--port", str(free_port()),
                           env={"LOAD_BROKER_URL": smoke_broker_url()}, timeout=300, tmp_path=tmp_path)
    finally:
        drop_database(name)
    # Errors are not a timing: at one person of each kind any failed request is a broken page. (The
    # report's download is not required: on a busy machine the job may outlast the 8 s.)
    assert_lines(output,
                 r"^  requests [\d,]+, failures 0 \(locust exit 0\)$",
                 r"^  /healthz +\d+ +p50",
                 r"^  lưu một mục \(autosave\) +\d+ +p50",
                 r"^  mở phiếu thẩm định +\d+ +p50",
                 r"^  mở bảng điều khiển: xếp hạng +\d+ +p50",
                 r"^  yêu cầu báo cáo +\d+ +p50",
                 r"^  errors +0 +goal 0 +met$",
                 r"^  p95 item autosave / p95 /healthz" + RATIO,
                 r"^  p95 opening the appraisal sheet / p95 /healthz" + RATIO)
