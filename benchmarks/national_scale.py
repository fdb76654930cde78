"""National-scale benchmark: 3,321 communes × 5 years on PostgreSQL.

Builds (once) 34 provinces with their communes, opens 5 evaluation years per province on the shipped
criteria set, fills every self-score and appraised score with SQL, then times what pages, reports and
dashboards do: opening a year, totals for a province and for the whole country, a province ranking,
the visibility query of an appraiser, and the score sheet of one commune. Prints figures and ratios;
it asserts nothing about time (machines differ), it is for comparing changes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \
      DJANGO_SECRET_KEY=bench .venv/bin/python benchmarks/national_scale.py [--communes 3321] [--years 5] [--smoke]

The database named in DATABASE_URL is migrated and filled; use a throwaway one. `--smoke` builds
40 communes × 1 year and takes the median of 3 for the ORM/SQL ratios.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")

import django  # noqa: E402

from benchmarks._setup import SMOKE_LINE, smoke_option  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from communes.models import Membership, Role, Unit, UnitKind  # noqa: E402
from parindex.models import Assessment, CriteriaSet, EvaluationYear, RankingScope, Score  # noqa: E402
from parindex.selectors import assessments_totals, assessments_visible_to, year_ranking  # noqa: E402
from parindex.selectors.sheet import score_sheet_data  # noqa: E402
from parindex.services.criteria import criteria_set_import  # noqa: E402
from parindex.services.years import evaluation_year_open  # noqa: E402

SET_FILE = Path(__file__).resolve().parent.parent / "parindex/data/criteria/quang-ngai-673-2023.yaml"
PROVINCES = 34


def timed(label, fn, results):
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - start
    results.append((label, elapsed, len(ctx.captured_queries)))
    print(f"  {label:<58} {elapsed * 1000:>10.1f} ms {len(ctx.captured_queries):>6} queries", flush=True)
    return value


def build(communes, years):
    criteria_set = CriteriaSet.objects.filter(code="quang-ngai-xa-673-2023").first()
    if criteria_set is None:
        criteria_set = criteria_set_import(source=SET_FILE)
    per_province = -(-communes // PROVINCES)
    made = 0
    for p in range(PROVINCES):
        province, _ = Unit.objects.get_or_create(code=f"B{p:02d}", defaults={"name": f"Tỉnh {p}", "kind": UnitKind.PROVINCE})
        existing = Unit.objects.filter(parent=province).count()
        wanted = min(per_province, communes - made)
        new = []
        for c in range(existing, wanted):
            unit = Unit(code=f"B{p:02d}{c:04d}", name=f"Xã {p}-{c}", kind=UnitKind.COMMUNE, parent=province)
            unit.path = f"{province.path}{unit.code}/"
            new.append(unit)
        Unit.objects.bulk_create(new, batch_size=1000)
        made += wanted
        for y in range(2021, 2021 + years):
            EvaluationYear.objects.get_or_create(
                year=y, scope=province,
                defaults={"criteria_set": criteria_set, "ranking_scope": RankingScope.PROVINCE},
            )
    return criteria_set


def fill_scores():
    # Deterministic, varied scores: a share of the maximum that depends on the row id.
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE parindex_score SET
                 self_score = round(max_points * ((id % 7) + 4) / 10.0, 2),
                 appraised_score = round(max_points * ((id % 5) + 5) / 10.0, 2)
               WHERE self_score IS NULL"""
        )
        cursor.execute("UPDATE parindex_assessment SET status = 'approved' WHERE status = 'draft'")
        cursor.execute("ANALYZE")


# The aggregate assessments_totals asks the ORM for, written by hand: per assessment and area, the
# applicable maximum, the self total and the final total (round 2 else round 1) of applicable leaves.
TOTALS_SQL = """
    SELECT s.assessment_id, i.area_id,
           COALESCE(SUM(s.max_points) FILTER (WHERE NOT s.not_applicable), 0),
           COALESCE(SUM(s.self_score) FILTER (WHERE NOT s.not_applicable), 0),
           COALESCE(SUM(COALESCE(s.round2_score, s.appraised_score)) FILTER (WHERE NOT s.not_applicable), 0),
           COUNT(*) FILTER (WHERE s.self_score IS NOT NULL OR s.not_applicable),
           COUNT(*) FILTER (WHERE s.appraised_score IS NOT NULL OR s.round2_score IS NOT NULL OR s.not_applicable)
      FROM parindex_score s JOIN parindex_item i ON i.id = s.item_id
     WHERE s.assessment_id = ANY(%s)
     GROUP BY s.assessment_id, i.area_id"""

# A province ranking by hand, with what the ranking shows beside each rank (the commune's name and
# its district's): index % (final over applicable maximum, with bonus and penalty) rounded to 2
# places, ranked with ties sharing a rank, approved and published assessments only.
RANKING_SQL = """
    WITH totals AS (
        SELECT a.id, a.status, a.unit_id,
               SUM(s.max_points) FILTER (WHERE NOT s.not_applicable) AS applicable_max,
               COALESCE(SUM(COALESCE(s.round2_score, s.appraised_score)) FILTER (WHERE NOT s.not_applicable), 0)
                 + COALESCE(a.bonus_points, 0) - COALESCE(a.penalty_points, 0) AS final_total
          FROM parindex_assessment a JOIN parindex_score s ON s.assessment_id = a.id
         WHERE a.year_id = %s
         GROUP BY a.id)
    SELECT t.id, u.name, p.name, ROUND(100 * t.final_total / NULLIF(t.applicable_max, 0), 2) AS index_percent,
           CASE WHEN t.status IN ('approved', 'published')
                THEN RANK() OVER (PARTITION BY t.status IN ('approved', 'published')
                                  ORDER BY ROUND(100 * t.final_total / NULLIF(t.applicable_max, 0), 2) DESC NULLS LAST)
           END AS rank
      FROM totals t JOIN communes_unit u ON u.id = t.unit_id LEFT JOIN communes_unit p ON p.id = u.parent_id"""


def sql_rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def orm_against_sql(label, orm, sql, results, repeat):
    """Median of `repeat` runs of each path, alternating ORM and SQL run by run so that other work on
    the machine weighs on both alike, and their ratio (goal ≤ 1,3)."""
    def once(fn):
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    def median(times):
        return sorted(times)[len(times) // 2]

    orm(), sql()  # warm both (plans, caches)
    orm_times, sql_times = [], []
    for _ in range(repeat):
        orm_times.append(once(orm))
        sql_times.append(once(sql))
    orm_s, sql_s = median(orm_times), median(sql_times)
    ok = orm_s / sql_s <= 1.3
    print(f"  {label:<44} ORM {orm_s * 1000:>8.1f} ms  SQL {sql_s * 1000:>8.1f} ms  ratio {orm_s / sql_s:>5.2f}"
          f"  goal ≤ 1,3 {'met' if ok else 'NOT MET'}", flush=True)
    results.append((f"ratio {label}", orm_s / sql_s, 0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, help="default 3321; 40 with --smoke")
    parser.add_argument("--years", type=int, help="default 5; 1 with --smoke")
    parser.add_argument("--repeat", type=int, help="runs of each side of an ORM/SQL ratio: default 15; 3 with --smoke")
    smoke_option(parser)
    args = parser.parse_args()
    for name, full, smoke in (("communes", 3321, 40), ("years", 5, 1), ("repeat", 15, 3)):
        if getattr(args, name) is None:
            setattr(args, name, smoke if args.smoke else full)
    if args.smoke:
        print(SMOKE_LINE)
    if connection.vendor != "postgresql":
        print("This benchmark is meant for PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    from django.conf import settings

    settings.DEBUG = True  # keep query logs for the counts
    results = []
    print(f"PAR Index national-scale benchmark: {args.communes} communes × {args.years} years on PostgreSQL")
    call_command("migrate", verbosity=0)
    timed("build units and years (skipped when present)", lambda: build(args.communes, args.years), results)
    years = list(EvaluationYear.objects.select_related("scope", "criteria_set").order_by("scope__code", "year"))
    first = years[0]
    open_first = timed("open one province-year (assessments + empty scores)",
                       lambda: evaluation_year_open(year=first), results)
    start = time.perf_counter()
    for year in years[1:]:
        evaluation_year_open(year=year)
    print(f"  {'open the other province-years':<58} {(time.perf_counter() - start) * 1000:>10.1f} ms")
    timed("fill self and appraised scores (SQL)", fill_scores, results)
    print(f"  rows: {Assessment.objects.count():,} assessments, {Score.objects.count():,} scores")

    latest = max(y.year for y in years)
    province_year = next(y for y in years if y.year == latest)
    province_assessments = list(Assessment.objects.filter(year=province_year).select_related("year", "unit"))
    national = list(Assessment.objects.filter(year__year=latest).select_related("year", "unit"))
    t_province = timed(f"totals of one province ({len(province_assessments)} communes)",
                       lambda: assessments_totals(assessments=province_assessments), results)
    t_national = timed(f"totals of the country ({len(national)} communes)",
                       lambda: assessments_totals(assessments=national), results)
    timed("ranking of one province",
          lambda: year_ranking(year=province_year, assessments=province_assessments), results)

    appraiser, _ = django.contrib.auth.get_user_model().objects.get_or_create(username="bench-appraiser")
    Membership.objects.get_or_create(user=appraiser, unit=province_year.scope, role=Role.APPRAISER)
    timed("visibility: assessments an appraiser sees (count)",
          lambda: assessments_visible_to(appraiser).count(), results)
    one = province_assessments[0]
    timed("score sheet data of one commune", lambda: score_sheet_data(assessment=one), results)

    print(f"\n  the ORM path against the same aggregate in hand-written SQL (median of {args.repeat}, alternating, "
          "same run)")
    province_ids = [a.id for a in province_assessments]
    national_ids = [a.id for a in national]
    orm_against_sql(f"totals of one province ({len(province_ids)})",
                    lambda: assessments_totals(assessments=province_assessments),
                    lambda: sql_rows(TOTALS_SQL, [province_ids]), results, args.repeat)
    orm_against_sql(f"totals of the country ({len(national_ids)})",
                    lambda: assessments_totals(assessments=national),
                    lambda: sql_rows(TOTALS_SQL, [national_ids]), results, args.repeat)
    orm_against_sql("ranking of one province",
                    lambda: year_ranking(year=province_year, assessments=Assessment.objects.filter(
                        year=province_year).select_related("unit", "unit__parent")),
                    lambda: sql_rows(RANKING_SQL, [province_year.pk]), results, args.repeat)
    print()

    by_label = {label: seconds for label, seconds, _ in results}
    province_s = by_label[f"totals of one province ({len(province_assessments)} communes)"]
    national_s = by_label[f"totals of the country ({len(national)} communes)"]
    print()
    print(f"  per commune, province totals: {province_s / max(len(province_assessments), 1) * 1000:.3f} ms")
    print(f"  per commune, national totals: {national_s / max(len(national), 1) * 1000:.3f} ms")
    print(f"  ratio national/province time: {national_s / province_s:.1f} "
          f"for {len(national) / max(len(province_assessments), 1):.1f}× the communes")
    del open_first, t_province, t_national
    return 0


if __name__ == "__main__":
    sys.exit(main())
