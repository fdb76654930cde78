"""Dashboards of a year for the appraisal side (appraiser, province administrator, viewer).

Every dashboard reads the one visibility rule, the totals selector and the ranking selector (the
functions the report uses), so a figure on a dashboard, in its XLSX export and in the report is
the same figure. Each dashboard is a plain structure of tables (what the page shows, what the
export writes) and chart series (drawn by reports.charts); the number of queries does not grow
with the number of communes."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from communes.models import Unit
from parindex.models import AssessmentStatus, Score
from parindex.models.assessments import FINAL_SCORE_SQL
from parindex.numbers import round_half_up

from .queue import vn_sort_key, year_progress
from .rankings import RANKED_STATUSES, ranking_visible_to
from .totals import assessments_totals
from .visibility import assessments_visible_to, years_visible_to

S = AssessmentStatus
ZERO = Decimal("0")
HUNDRED = Decimal("100")
_DEC = DecimalField(max_digits=12, decimal_places=4)
# Index bins of the distribution chart (lower bounds, %); the last bin holds 90 to 100.
INDEX_BINS = (0, 50, 60, 70, 80, 90)
WEAKEST_PER_AREA = 3
COMPARE_MIN, COMPARE_MAX = 2, 5


@dataclass
class Column:
    label: str
    kind: str = "text"  # text | points | percent | count


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    note: str = ""

    @property
    def typed_rows(self):
        """Rows as (value, column kind) pairs, for templates that format each cell by its kind."""
        kinds = [c.kind for c in self.columns]
        return [list(zip(row, kinds, strict=False)) for row in self.rows]


@dataclass
class Dashboard:
    year: object
    title: str
    tables: list = field(default_factory=list)
    charts: dict = field(default_factory=dict)
    scope_unit: object = None
    extra: dict = field(default_factory=dict)

    def table(self, key):
        return next(t for t in self.tables if t.key == key)


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values, ZERO) / len(values) if values else None


def _share(part, whole):
    return Decimal(part) * HUNDRED / whole if whole else None


def dashboard_scope_units(*, user, year):
    """The groups a user may narrow a dashboard to: the districts (or other parents of communes)
    holding the communes of `year` the user sees. One query."""
    parent_ids = assessments_visible_to(user).filter(year=year).values("unit__parent_id")
    units = list(Unit.objects.filter(id__in=parent_ids))
    return sorted(units, key=lambda u: u.path)


def _in_scope(unit, scope_unit):
    return scope_unit is None or unit.path.startswith(scope_unit.path)


def _finished(user, year, scope_unit):
    """Visible assessments with final figures (approved or published) under `scope_unit`, and their
    totals from the totals selector."""
    qs = assessments_visible_to(user).filter(year=year, status__in=RANKED_STATUSES)
    if scope_unit is not None:
        qs = qs.filter(unit__path__startswith=scope_unit.path)
    assessments = sorted(qs, key=lambda a: vn_sort_key(a.unit.name))
    return assessments, assessments_totals(assessments=assessments)


# --- Year progress -------------------------------------------------------------------------------

def dashboard_progress(*, user, year, now=None):
    """Where the year stands: communes by status, submissions on time or late against the
    self-assessment deadline, the stage deadlines, and the same per district."""
    now = now or timezone.now()
    progress = year_progress(user=user, year=year, now=now)
    deadline = year.self_assessment_deadline
    visible = assessments_visible_to(user).filter(year=year)
    counts = dict(
        total=Count("id"),
        draft=Count("id", filter=Q(status=S.DRAFT)),
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        # Moved on without a submission date (loaded from elsewhere): nothing to judge, counted on time.
        undated=Count("id", filter=Q(submitted_at__isnull=True) & ~Q(status=S.DRAFT)),
        returned=Count("id", filter=Q(status__in=(S.RETURNED, S.EXPLAINED))),
        appraisal=Count("id", filter=Q(status__in=(S.SUBMITTED, S.IN_APPRAISAL, S.APPRAISED))),
        approved=Count("id", filter=Q(status=S.APPROVED)),
        published=Count("id", filter=Q(status=S.PUBLISHED)),
    )
    # The rule of queue.timeliness_of, counted by the database.
    if deadline is not None:
        counts["late"] = Count("id", filter=Q(submitted_at__gt=deadline))
        if now > deadline:
            counts["overdue"] = Count("id", filter=Q(status=S.DRAFT, submitted_at__isnull=True))
    rows = visible.values("unit__parent_id").annotate(**counts)
    parents = {d.unit.id: d.unit for d in progress.districts if d.unit is not None}
    by_parent = {r["unit__parent_id"]: r for r in rows}
    keys = ("total", "draft", "overdue", "on_time", "late", "returned", "appraisal", "approved", "published")

    def line(r):
        r = {"late": 0, "overdue": 0, **r}
        r["on_time"] = r["submitted"] - r["late"] + r["undated"]
        return r

    lines = [(parents.get(pid), line(r)) for pid, r in by_parent.items()]
    lines.sort(key=lambda pair: pair[0].path if pair[0] else "")
    overall = {k: sum(r[k] for _, r in lines) for k in keys}
    total = overall["total"]

    status_table = Table("status", "Số đơn vị theo trạng thái", [
        Column("Trạng thái"), Column("Số đơn vị", "count"), Column("Tỷ lệ", "percent"),
    ], [[label, progress.by_status.get(value, 0), _share(progress.by_status.get(value, 0), total)]
        for value, label in S.choices])
    submission_table = Table("submission", "Nộp bản tự đánh giá so với thời hạn", [
        Column("Tình hình nộp"), Column("Số đơn vị", "count"), Column("Tỷ lệ", "percent"),
    ], [[label, overall[key], _share(overall[key], total)] for key, label in (
        ("on_time", "Đã nộp đúng hạn"), ("late", "Đã nộp trễ hạn"),
        ("overdue", "Quá hạn, chưa nộp"), ("draft", "Đang tự đánh giá (chưa nộp)"),
    )], note="Đúng hạn / trễ hạn so với hạn tự đánh giá; bản đã nộp rồi rút lại vẫn tính theo lần nộp.")
    deadlines = Table("deadlines", "Thời hạn các giai đoạn", [Column("Giai đoạn"), Column("Thời hạn"), Column("Tình trạng")], [
        [label, timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—",
         ("Đã hết hạn" if value <= now else f"Còn {(value - now).days} ngày") if value else "Chưa đặt"]
        for label, value in (
            ("Tự đánh giá", year.self_assessment_deadline),
            ("Thẩm định vòng 1", year.appraisal_round1_deadline),
            ("Giải trình", year.explanation_deadline),
            ("Thẩm định vòng 2", year.appraisal_round2_deadline),
        )
    ])
    district_table = Table("districts", "Theo đơn vị cấp huyện", [
        Column("Đơn vị"), Column("Tổng", "count"), Column("Đang tự đánh giá", "count"),
        Column("Quá hạn chưa nộp", "count"), Column("Nộp đúng hạn", "count"), Column("Nộp trễ hạn", "count"),
        Column("Đang thẩm định", "count"), Column("Trả lại, giải trình", "count"),
        Column("Đã phê duyệt", "count"), Column("Đã công bố", "count"),
    ], [
        [unit.display_name if unit else "—", r["total"], r["draft"], r["overdue"], r["on_time"], r["late"],
         r["appraisal"], r["returned"], r["approved"], r["published"]]
        for unit, r in lines
    ] + [["Tổng cộng", *(overall[k] for k in ("total", "draft", "overdue", "on_time", "late", "appraisal",
                                              "returned", "approved", "published"))]])
    return Dashboard(
        year=year, title=f"Tiến độ Chỉ số CCHC năm {year.year}",
        tables=[status_table, submission_table, deadlines, district_table],
        charts={"status": {
            "draw": "hbars", "title": "Số đơn vị theo trạng thái",
            "labels": [row[0] for row in status_table.rows],
            "series": [{"name": "Số đơn vị", "values": [row[1] for row in status_table.rows]}],
        }},
        extra={"total": total, "late": progress.late},
    )


# --- Ranking and distribution --------------------------------------------------------------------

def _bands(criteria_set):
    bands = sorted(criteria_set.bands or [], key=lambda b: Decimal(str(b["min_percent"])), reverse=True)
    upper = None
    result = []
    for band in bands:
        low = Decimal(str(band["min_percent"]))
        result.append((band["label"], low, upper))
        upper = low
    return result


def _bin_label(low, high):
    return f"{low}–<{high}%" if high is not None else f"{low}–100%"


def dashboard_ranking(*, user, year, scope_unit=None):
    """The ranking with bands, published results apart from approved-not-yet-published ones (a
    provisional rank) and apart from unfinished assessments (no index, no rank); the distribution
    of the index by band and by bins. Ranks and bands come from the ranking selector (whole groups)."""
    results = [r for r in ranking_visible_to(user=user, year=year) if _in_scope(r.unit, scope_unit)]
    ranked_columns = [
        Column("Hạng", "count"), Column("Đơn vị"), Column("Nhóm xếp hạng"), Column("Điểm cuối cùng", "points"),
        Column("Điểm tối đa áp dụng", "points"), Column("Chỉ số CCHC", "percent"), Column("Xếp loại"),
    ]

    def ranked_row(r):
        return [r.rank, r.unit.display_name, r.group.display_name, r.totals.final_total,
                r.totals.applicable_max, r.totals.index_percent, r.band]

    published = [r for r in results if r.assessment.status == S.PUBLISHED]
    approved = [r for r in results if r.assessment.status == S.APPROVED]
    unfinished = sorted((r for r in results if r.assessment.status not in RANKED_STATUSES),
                        key=lambda r: (r.group.path, vn_sort_key(r.unit.name)))
    ranked = sorted(published + approved, key=lambda r: (r.totals.index_percent or 0), reverse=True)
    tables = [
        Table("published", f"Đã công bố ({len(published)} đơn vị)", ranked_columns,
              [ranked_row(r) for r in published],
              note="Kết quả chính thức theo quyết định công bố." if published else "Chưa có kết quả nào được công bố."),
        Table("approved", f"Đã phê duyệt, chưa công bố ({len(approved)} đơn vị)", ranked_columns,
              [ranked_row(r) for r in approved],
              note="Xếp hạng tạm thời: có thể thay đổi đến khi công bố."),
        Table("unfinished", f"Chưa hoàn thành ({len(unfinished)} đơn vị)", [
            Column("Đơn vị"), Column("Nhóm xếp hạng"), Column("Trạng thái"),
            Column("Số tiêu chí đã thẩm định", "count"), Column("Số tiêu chí", "count"),
        ], [[r.unit.display_name, r.group.display_name, r.assessment.get_status_display(),
             r.totals.appraised_count, r.totals.leaf_count] for r in unfinished],
              note="Chưa có kết quả cuối cùng: không tính chỉ số, không xếp hạng."),
    ]
    values = [r.totals.index_percent for r in ranked if r.totals.index_percent is not None]
    places = year.criteria_set.precision
    band_rows = []
    for label, low, high in _bands(year.criteria_set):
        n = sum(1 for r in ranked if r.band == label)
        band_rows.append([label, f"≥ {low}%" + (f", < {high}%" if high is not None else ""), n,
                          _share(n, len(ranked))])
    bin_rows = []
    for i, low in enumerate(INDEX_BINS):
        high = INDEX_BINS[i + 1] if i + 1 < len(INDEX_BINS) else None
        n = sum(1 for v in values
                if round_half_up(v, places) >= low and (high is None or round_half_up(v, places) < high))
        bin_rows.append([_bin_label(low, high), n, _share(n, len(values))])
    tables.append(Table("bands", "Phân bố theo xếp loại", [
        Column("Xếp loại"), Column("Khoảng chỉ số"), Column("Số đơn vị", "count"), Column("Tỷ lệ", "percent"),
    ], band_rows, note="Các mức xếp loại của bộ chỉ số; chỉ tính đơn vị đã phê duyệt hoặc đã công bố."))
    tables.append(Table("bins", "Phân bố chỉ số CCHC", [
        Column("Khoảng chỉ số"), Column("Số đơn vị", "count"), Column("Tỷ lệ", "percent"),
    ], bin_rows))
    return Dashboard(
        year=year, title=f"Xếp hạng Chỉ số CCHC năm {year.year}", tables=tables, scope_unit=scope_unit,
        charts={
            "ranking": {
                "draw": "ranking", "title": "Chỉ số CCHC (%) của các đơn vị đã phê duyệt, đã công bố",
                "labels": [r.unit.display_name for r in ranked],
                "series": [{"name": "Chỉ số CCHC (%)", "values": [r.totals.index_percent for r in ranked]}],
            },
            "bins": {
                "draw": "bars", "title": "Số đơn vị theo khoảng chỉ số",
                "labels": [row[0] for row in bin_rows],
                "series": [{"name": "Số đơn vị", "values": [row[1] for row in bin_rows]}],
            },
        },
        extra={"mean": _mean(values), "ranked_count": len(ranked)},
    )


# --- Areas: averages across communes and their weakest items -------------------------------------

def area_weakest_items(*, assessment_ids, per_area=WEAKEST_PER_AREA):
    """Per area, the applicable leaves with the lowest share of their maximum across the given
    assessments (final score = round 2 else round 1): one aggregate query."""
    if not assessment_ids:
        return {}
    final = FINAL_SCORE_SQL
    rows = (
        Score.objects.filter(assessment_id__in=assessment_ids, not_applicable=False)
        .values("item_id", "item__code", "item__name", "item__area_id", "item__sort_key")
        .annotate(
            communes=Count("id"),
            max_sum=Sum("max_points", output_field=_DEC),
            final_sum=Coalesce(Sum(final), ZERO, output_field=_DEC),
            mean_final=Avg(Coalesce(final, ZERO, output_field=_DEC), output_field=_DEC),
            below_max=Count("id", filter=Q(max_points__gt=Coalesce(final, ZERO, output_field=_DEC))),
            lost=Coalesce(Sum(F("max_points") - Coalesce(final, ZERO, output_field=_DEC)), ZERO, output_field=_DEC),
        )
    )
    by_area = {}
    for r in rows:
        max_sum = Decimal(str(r["max_sum"] or 0))
        r["rate"] = Decimal(str(r["final_sum"] or 0)) * HUNDRED / max_sum if max_sum else None
        r["lost"] = Decimal(str(r["lost"] or 0)).quantize(Decimal("0.01"))
        r["mean_final"] = Decimal(str(r["mean_final"] or 0))
        r["mean_max"] = max_sum / r["communes"] if r["communes"] else ZERO
        by_area.setdefault(r["item__area_id"], []).append(r)
    return {
        area_id: sorted(items, key=lambda r: (r["rate"] if r["rate"] is not None else HUNDRED, -r["lost"],
                                              r["item__sort_key"]))[:per_area]
        for area_id, items in by_area.items()
    }


def _area_label(code, name, width=26):
    label = f"{code}. {name}"
    return label if len(label) <= width else label[:width - 1].rstrip() + "…"


def dashboard_areas(*, user, year, scope_unit=None):
    """Which areas are weak across the district or the province: per area the mean of the communes'
    points and index (from the totals selector), the lowest and highest, and each area's weakest
    items across communes. Only approved and published results count."""
    assessments, totals = _finished(user, year, scope_unit)
    areas = []
    for a in assessments:
        for i, area in enumerate(totals[a.id].areas):
            if len(areas) <= i:
                areas.append((area, []))
            areas[i][1].append(area)
    area_rows = []
    for first, per_commune in areas:
        percents = [t.appraised_percent for t in per_commune if t.appraised_percent is not None]
        area_rows.append([
            first.code, first.name, first.max_points, _mean([t.appraised_total for t in per_commune]),
            _mean(percents), min(percents) if percents else None, max(percents) if percents else None,
        ])
    weakest = area_weakest_items(assessment_ids=[a.id for a in assessments])
    item_rows = []
    for first, _ in areas:
        for r in weakest.get(first.area_id, []):
            item_rows.append([first.code, r["item__code"], r["item__name"], r["mean_max"], r["mean_final"],
                              r["rate"], r["below_max"], r["communes"]])
    index_mean = _mean([totals[a.id].index_percent for a in assessments])
    return Dashboard(
        year=year, title=f"Kết quả theo lĩnh vực năm {year.year}", scope_unit=scope_unit,
        tables=[
            Table("areas", "Điểm trung bình theo lĩnh vực", [
                Column("Mã"), Column("Lĩnh vực"), Column("Điểm tối đa", "points"),
                Column("Điểm trung bình", "points"), Column("Tỷ lệ đạt trung bình", "percent"),
                Column("Thấp nhất", "percent"), Column("Cao nhất", "percent"),
            ], area_rows, note=f"Trung bình của {len(assessments)} đơn vị đã phê duyệt hoặc đã công bố; "
                               "tỷ lệ đạt = điểm thẩm định ÷ điểm tối đa của các tiêu chí áp dụng."),
            Table("weakest", f"Tiêu chí đạt thấp nhất của từng lĩnh vực ({WEAKEST_PER_AREA} tiêu chí mỗi lĩnh vực)", [
                Column("Lĩnh vực"), Column("Mã"), Column("Tiêu chí"), Column("Điểm tối đa", "points"),
                Column("Điểm trung bình", "points"), Column("Tỷ lệ đạt", "percent"),
                Column("Số đơn vị bị trừ điểm", "count"), Column("Số đơn vị áp dụng", "count"),
            ], item_rows, note="Tỷ lệ đạt = tổng điểm cuối cùng ÷ tổng điểm tối đa của các đơn vị áp dụng tiêu chí."),
        ],
        charts={"areas": {
            "draw": "hbars_percent", "title": "Tỷ lệ đạt trung bình theo lĩnh vực (%)",
            "labels": [_area_label(row[0], row[1]) for row in area_rows],
            "series": [{"name": "Tỷ lệ đạt trung bình (%)", "values": [row[4] for row in area_rows]}],
        }},
        extra={"count": len(assessments), "index_mean": index_mean},
    )


# --- Comparison of chosen communes ---------------------------------------------------------------

def compare_candidates(*, user, year):
    """Assessments a user may compare: visible, with final figures. One query."""
    qs = assessments_visible_to(user).filter(year=year, status__in=RANKED_STATUSES)
    return sorted(qs, key=lambda a: (a.unit.parent.path if a.unit.parent else "", vn_sort_key(a.unit.name)))


def dashboard_compare(*, user, year, assessment_ids):
    """2 to 5 chosen communes side by side: each area's points and rate, total, index, rank and band
    (ranks from the ranking selector, over whole groups)."""
    wanted = {int(i) for i in assessment_ids}
    results = [r for r in ranking_visible_to(user=user, year=year, with_areas=True)
               if r.assessment.id in wanted and r.assessment.status in RANKED_STATUSES]
    results.sort(key=lambda r: [int(i) for i in assessment_ids].index(r.assessment.id))
    columns = [Column("Mã"), Column("Lĩnh vực"), Column("Điểm tối đa", "points")]
    for r in results:
        columns += [Column(f"{r.unit.display_name}: điểm", "points"), Column(f"{r.unit.display_name}: tỷ lệ", "percent")]
    rows = []
    if results:
        for i, area in enumerate(results[0].totals.areas):
            row = [area.code, area.name, area.max_points]
            for r in results:
                t = r.totals.areas[i]
                row += [t.appraised_total, t.appraised_percent]
            rows.append(row)
    summary = Table("summary", "Tổng điểm, chỉ số, xếp hạng", [
        Column("Đơn vị"), Column("Nhóm xếp hạng"), Column("Trạng thái"), Column("Điểm cuối cùng", "points"),
        Column("Điểm tối đa áp dụng", "points"), Column("Chỉ số CCHC", "percent"), Column("Hạng", "count"),
        Column("Xếp loại"),
    ], [[r.unit.display_name, r.group.display_name, r.assessment.get_status_display(), r.totals.final_total,
         r.totals.applicable_max, r.totals.index_percent, r.rank, r.band] for r in results])
    return Dashboard(
        year=year, title=f"So sánh các đơn vị năm {year.year}",
        tables=[summary, Table("areas", "Theo lĩnh vực", columns, rows)],
        charts={"areas": {
            "draw": "bars_percent", "title": "Tỷ lệ đạt theo lĩnh vực (%)",
            "labels": [f"LV{row[0]}" for row in rows],
            "series": [{"name": r.unit.display_name, "values": [row[4 + 2 * k] for row in rows]}
                       for k, r in enumerate(results)],
        }},
        extra={"results": results},
    )


# --- Year over year ------------------------------------------------------------------------------

def dashboard_years(*, user, year, scope_unit=None):
    """The years of the same scope side by side: communes with results, mean index, and each area's
    mean rate (areas matched by code across criteria sets)."""
    years = sorted(years_visible_to(user).filter(scope=year.scope), key=lambda y: y.year)
    qs = assessments_visible_to(user).filter(year__in=[y.id for y in years], status__in=RANKED_STATUSES)
    if scope_unit is not None:
        qs = qs.filter(unit__path__startswith=scope_unit.path)
    assessments = list(qs)
    totals = assessments_totals(assessments=assessments)
    area_codes = []
    per_year = {y.id: {"index": [], "areas": {}} for y in years}
    for a in assessments:
        t = totals[a.id]
        per_year[a.year_id]["index"].append(t.index_percent)
        for area in t.areas:
            if area.code not in area_codes:
                area_codes.append(area.code)
            per_year[a.year_id]["areas"].setdefault(area.code, []).append(area.appraised_percent)
    area_codes.sort(key=lambda c: [int(p) if p.isdigit() else p for p in c.split(".")])
    rows = []
    for y in years:
        data = per_year[y.id]
        rows.append([y.year, len(data["index"]), _mean(data["index"])]
                    + [_mean(data["areas"].get(code, [])) for code in area_codes])
    return Dashboard(
        year=year, title="Chỉ số CCHC qua các năm", scope_unit=scope_unit,
        tables=[Table("years", "Chỉ số CCHC trung bình qua các năm", [
            Column("Năm"), Column("Số đơn vị có kết quả", "count"), Column("Chỉ số trung bình", "percent"),
        ] + [Column(f"LV{code}", "percent") for code in area_codes], rows,
            note="Trung bình của các đơn vị đã phê duyệt hoặc đã công bố mỗi năm; LV: tỷ lệ đạt của lĩnh vực.")],
        charts={"years": {
            "draw": "line", "title": "Chỉ số CCHC trung bình (%) qua các năm",
            "labels": [str(row[0]) for row in rows],
            "series": [{"name": "Chỉ số trung bình (%)", "values": [row[2] for row in rows]}],
        }},
    )


DASHBOARDS = {
    "tien-do": dashboard_progress,
    "xep-hang": dashboard_ranking,
    "linh-vuc": dashboard_areas,
    "qua-cac-nam": dashboard_years,
}

