"""Shared start-up of the benchmarks: Django on a throwaway database, timing helpers, memory."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv running the script: its celery, gunicorn and locust serve the processes it starts.
BIN = Path(sys.executable).parent

SMOKE_LINE = ("SMOKE RUN (--smoke): tiny data and few repeats, to check that the script still runs every "
              "path it measures; its figures are not measurements, its met / NOT MET mean nothing.")


def smoke_option(parser) -> None:
    parser.add_argument("--smoke", action="store_true",
                        help="tiny data and few repeats (the test suite runs this so the script cannot rot); "
                             "the figures mean nothing")


def django_setup(*, throwaway_sqlite: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    if throwaway_sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='parindex-bench-')}/bench.sqlite3"
        os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


# A SQLite file already migrated and holding the demo, copied instead of building it again: the
# test suite's smoke runs set it (tests/test_benchmarks_smoke.py), saving each script ~5 s of set-up.
DEMO_TEMPLATE_ENV = "PARINDEX_BENCH_DEMO_SQLITE"


def demo_database_ready() -> None:
    """Migrate the database and load the demo, or start from the template file when one is given
    (SQLite only; migrate still runs, so a template older than the code is brought up to date)."""
    import io
    import shutil

    from django.core.management import call_command
    from django.db import connection

    template = os.environ.get(DEMO_TEMPLATE_ENV)
    if template and connection.vendor == "sqlite" and connection.connection is None:
        shutil.copyfile(template, connection.settings_dict["NAME"])
        call_command("migrate", verbosity=0)
        return
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


def demo_ba_thanh_2024():
    """The demo database ready, and the Ba Thành 2024 assessment (the seed's)."""
    from parindex.models import Assessment

    demo_database_ready()
    return Assessment.objects.select_related("unit", "year").get(unit__code="21199", year__year=2024)


def measure(fn, *, repeat: int):
    """Median wall and CPU seconds of `repeat` calls (after one warm-up call), and the last result.
    CPU time is printed beside wall time because a busy machine stretches wall time only."""
    result = fn()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def ratio_line(label: str, value: float, goal: str, ok: bool) -> str:
    return f"  {label:<62} {value:>6.2f}   goal {goal:<8} {'met' if ok else 'NOT MET'}"
