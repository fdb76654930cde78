"""Per-item autosave: p50/p95 of one autosave request and its query count, at two sheet sizes.

Loads the demo (xã Ba Động's 2024 self-assessment, 77 items, officer canbo.badong) and a second
commune on a set four times larger, then POSTs the score sheet's per-item autosave endpoint through
Django's test client (the whole view: session, visibility, permission, form, service, JSON) many
times, alternating values so that every request writes. Prints figures; asserts nothing about time.

    DJANGO_SECRET_KEY=bench .venv/bin/python benchmarks/autosave.py            # throwaway SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_autosave_bench \
      DJANGO_SECRET_KEY=bench .venv/bin/python benchmarks/autosave.py          # PostgreSQL (throwaway db)

`--smoke` sends 3 requests per sheet after one warm-up.
"""

import argparse
import io
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._setup import SMOKE_LINE, demo_database_ready, django_setup, smoke_option  # noqa: E402

django_setup(throwaway_sqlite="DATABASE_URL" not in os.environ)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from communes.models import Role, Unit  # noqa: E402
from communes.services import membership_grant  # noqa: E402
from parindex.demo import BA_DONG  # noqa: E402
from parindex.models import Assessment, Score  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def large_sheet(officer):
    """A commune of the demo district on a set of 8 areas × 40 items (328 leaves)."""
    from tests.factories import AssessmentFactory, CommuneFactory, EvaluationYearFactory, build_criteria_set

    existing = Assessment.objects.filter(unit__code="BENCH-LARGE").first()
    if existing:
        return existing
    district = Assessment.objects.get(unit__code=BA_DONG, year__year=2024).unit.parent
    commune = CommuneFactory(name="Xã Benchmark", code="BENCH-LARGE", parent=district)
    criteria_set = build_criteria_set(tuple((Decimal("12.5"), 40) for _ in range(8)), code="bench-large")
    year = EvaluationYearFactory(year=2031, scope=Unit.objects.get(pk=district.parent_id), criteria_set=criteria_set)
    membership_grant(user=officer, unit=commune, role=Role.COMMUNE_OFFICER)
    return AssessmentFactory(year=year, unit=commune)


def run(client, assessment, repeat, warm_up=5):
    score = Score.objects.filter(assessment=assessment, item__scoring_method="self").order_by("id").last()
    url = reverse("score_item_save", args=[assessment.pk, score.pk])
    version = score.version
    times, queries = [], []
    values = ("0", "0,1")
    for i in range(repeat + warm_up):
        data = {"version": version, "self_score": values[i % 2], "note": f"Lần {i}"}
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.post(url, data)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.content
        version = response.json()["version"]
        if i >= warm_up:  # the first requests warm caches (session, templates, connection)
            times.append(elapsed * 1000)
            queries.append(len(ctx.captured_queries))
    leaves = Score.objects.filter(assessment=assessment).count()
    print(f"  {leaves:>4} items: p50 {statistics.median(times):6.1f} ms   p95 {percentile(times, 95):6.1f} ms   "
          f"max {max(times):6.1f} ms   queries {min(queries)}–{max(queries)}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, help="default 200; 3 with --smoke")
    smoke_option(parser)
    args = parser.parse_args()
    if args.repeat is None:
        args.repeat = 3 if args.smoke else 200
    warm_up = 1 if args.smoke else 5
    if args.smoke:
        print(SMOKE_LINE)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    demo_database_ready()
    call_command("load_demo", "--refresh-dates", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="canbo.badong")
    client = Client()
    client.force_login(officer)
    print(f"Per-item autosave on {connection.vendor} ({args.repeat} requests each, after {warm_up} warm-up):")
    run(client, Assessment.objects.get(unit__code=BA_DONG, year__year=2024), args.repeat, warm_up)
    run(client, large_sheet(officer), args.repeat, warm_up)


if __name__ == "__main__":
    main()
