"""Load test (issue 16, goal 6): 50 people at once against gunicorn + PostgreSQL + Redis + a worker.

Builds a throwaway PostgreSQL database with the demo data, starts gunicorn and a Celery worker on
this machine (loopback only), runs the users of benchmarks/load/locustfile.py headless for a bounded
time, stops everything and prints, from locust's own statistics: the error count (goal 0), and the
95th percentiles of an item autosave and of opening the appraisal sheet against that of /healthz
measured in the same run (goals ≤ 5× and ≤ 10×).

    .venv/bin/python benchmarks/load_test.py [--users 50] [--seconds 60] [--port 8190] [--smoke]

Needs locust (in the `dev` extra), PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on
127.0.0.1:6379, like the services run of the tests. The database `--database` (parindex_load) is
dropped and created again. `--smoke` runs one person of each kind, with short pauses, for 8 s
against one gunicorn worker.
"""

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from _setup import BIN, SMOKE_LINE, smoke_option  # noqa: E402

# The kinds of people in benchmarks/load/locustfile.py: the smoke run has one of each.
USER_KINDS = 5


def run(*args, env):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def recreate_database(name):
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def build_fixture(env, path):
    """What the simulated people need (accounts, sheets, items, URLs), read from the demo data."""
    subprocess.run([str(BIN / "python"), str(ROOT / "benchmarks/load/fixture.py"), path], cwd=ROOT, env=env,
                   check=True)


def wait_http(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def p95_by_name(stats_csv):
    rows = {}
    with open(stats_csv, newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, help=f"default 50; {USER_KINDS} (one of each kind) with --smoke")
    parser.add_argument("--seconds", type=int, help="default 60; 8 with --smoke")
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--gunicorn-workers", type=int, help="default 4; 1 with --smoke")
    parser.add_argument("--database", default="parindex_load", help="dropped and created again (default parindex_load)")
    smoke_option(parser)
    args = parser.parse_args()
    for name, full, smoke in (("users", 50, USER_KINDS), ("seconds", 60, 8), ("gunicorn_workers", 4, 1)):
        if getattr(args, name) is None:
            setattr(args, name, smoke if args.smoke else full)
    if args.smoke:
        print(SMOKE_LINE)

    work = Path(tempfile.mkdtemp(prefix="parindex-load-"))
    env = {**os.environ,
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
           "CELERY_BROKER_URL": os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/10"),
           "DJANGO_SECRET_KEY": "load-test-only", "DJANGO_DEBUG": "0",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "MEDIA_ROOT": str(work / "media"),
           "LOG_LEVEL": "WARNING"}
    print(f"PAR Index load test: {args.users} users for {args.seconds} s against gunicorn "
          f"({args.gunicorn_workers} workers) + PostgreSQL + Redis + 1 Celery worker on {os.cpu_count()} cores")
    recreate_database(args.database)
    run("migrate", "--noinput", env=env)
    run("load_demo", env=env)
    fixture = work / "fixture.json"
    build_fixture(env, str(fixture))

    web = worker = None
    try:
        web = subprocess.Popen([str(BIN / "gunicorn"), "parindex.wsgi", "-b", f"127.0.0.1:{args.port}",
                                "-w", str(args.gunicorn_workers), "--timeout", "60", "--log-level", "warning"],
                               cwd=ROOT, env=env, start_new_session=True)
        worker = subprocess.Popen([str(BIN / "celery"), "-A", "parindex", "worker", "-Q", "celery,reports",
                                   "--concurrency=1", "--loglevel=WARNING", "-n", f"load-{os.getpid()}@%h"],
                                  cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
        wait_http(f"http://127.0.0.1:{args.port}/healthz")
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "benchmarks/load/locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.users if args.smoke else max(1, args.users // 10)),
             "-t", f"{args.seconds}s",
             "--host", f"http://127.0.0.1:{args.port}", "--csv", str(work / "stats"), "--only-summary",
             "--stop-timeout", "10"],
            cwd=ROOT, env={**env, "LOAD_FIXTURE": str(fixture), "LOAD_SMOKE": "1" if args.smoke else ""},
            timeout=args.seconds + 120,
        )
    finally:
        stop(web)
        stop(worker)

    stats = p95_by_name(work / "stats_stats.csv")
    total = stats["Aggregated"]
    failures = int(total["Failure Count"])
    health = float(stats["/healthz"]["95%"])
    save = float(stats["lưu một mục (autosave)"]["95%"])
    sheet = float(stats["mở phiếu thẩm định"]["95%"])
    print(f"\n  requests {int(total['Request Count']):,}, failures {failures} (locust exit {locust.returncode})")
    for name in sorted(stats):
        if name != "Aggregated":
            row = stats[name]
            print(f"  {name:<32} {int(row['Request Count']):>6}  p50 {row['50%']:>6} ms  p95 {row['95%']:>6} ms")
    print("\n  ratios (same run)")
    print(f"  {'errors':<52} {failures:>6}   goal 0      {'met' if failures == 0 else 'NOT MET'}")
    for label, value, goal in (("p95 item autosave / p95 /healthz", save / health, 5),
                               ("p95 opening the appraisal sheet / p95 /healthz", sheet / health, 10)):
        print(f"  {label:<52} {value:>6.2f}   goal ≤ {goal:<5} {'met' if value <= goal else 'NOT MET'}")
    print(f"\n  locust's CSV files: {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
