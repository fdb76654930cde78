"""The demo's current structure (since 1/7/2025, no districts): the merged communes of the demo
province, the 2025 year appraised by the province with departments assigned to areas (mixed states,
some published, the council's decision recorded), and the 2026 year open for self-assessment.

Everything here is invented and marked "dữ liệu minh họa"; the criteria set is the shipped 2025
sample ("nội dung mẫu"). Loading is idempotent like the rest of the demo: what exists is left alone.
"""

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from communes.models import Unit, UnitLineage
from parindex.models import (
    AppraisalAssignment,
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    EvaluationYear,
    Item,
    RankingScope,
    Score,
)
from parindex.services import workflow

S = AssessmentStatus
CRITERIA_FILE_2025 = Path(settings.BASE_DIR) / "parindex" / "data" / "criteria" / "quang-ngai-xa-2025-mau.yaml"
CRITERIA_CODE_2025 = "quang-ngai-xa-2025-mau"
CRITERIA_CODE_2026 = "quang-ngai-xa-2026-mau"
MERGER_DATE = dt.date(2025, 7, 1)
MERGER_DECISION = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp các đơn vị hành chính cấp xã của tỉnh "
    "Quảng Ngãi năm 2025 (minh họa)"
)
THEME_2025 = "Chính quyền địa phương hai cấp vận hành thông suốt, phục vụ người dân và doanh nghiệp"
THEME_2026 = "Đẩy mạnh chuyển đổi số, nâng cao chất lượng phục vụ của chính quyền cấp xã"

# The new communes of 1/7/2025 (codes plausible, not official) and the communes merged into each.
NEW_BA_TO, BA_VINH, BA_VI, BA_XA, SON_MAI = "21188", "21181", "21183", "21184", "21157"
MERGERS = {
    NEW_BA_TO: ("21190", "21199", "21202"),  # thị trấn Ba Tơ, Ba Thành, Ba Cung
    BA_VINH: ("21196", "21193"),  # Ba Động, Ba Điền
    BA_VI: ("21205", "21211"),  # Ba Dinh, Ba Giang
    BA_XA: ("21226", "21232"),  # Ba Khâm, Ba Lế
    SON_MAI: ("21163", "21154"),  # Long Hiệp, Long Mai
}
# Departments (sở, ngành) of the council and the area each appraises for every commune; Sở Nội vụ
# (the coordinator) keeps areas 1, 3, 4, 5 and 8.
DEPARTMENTS = (
    ("51-STP", "Sở Tư pháp", "2", "thamdinh.sotuphap"),
    ("51-STC", "Sở Tài chính", "6", "thamdinh.sotaichinh"),
    ("51-SKHCN", "Sở Khoa học và Công nghệ", "7", "thamdinh.sokhcn"),
)
COORDINATOR = "dieuphoi.sonoivu"


def _pts(*values):
    return tuple(D(str(v)) for v in values)


# (officer, status, self-scores per area, appraised per area, days ago: submitted, started, approved)
SCENARIOS_2025 = {
    NEW_BA_TO: ("canbo.bato", S.DRAFT, _pts(10.5, 9.5, 18, 8, 12, 10.5, 14, 3.5), (), ()),
    BA_VI: ("canbo.bavi", S.SUBMITTED, _pts(10, 9, 17, 7.5, 11, 9.5, 12, 3), (), (3,)),
    BA_VINH: ("canbo.bavinh", S.IN_APPRAISAL, _pts(9.5, 8.5, 16, 7, 10.5, 9, 12.5, 3),
              _pts(8.5, 7.75, 14.5, 6.5, 9.5, 8.25, 11, 2.5), (12, 8)),
    BA_XA: ("canbo.baxa", S.PUBLISHED, _pts(10.5, 9, 18, 8, 11.5, 10, 13.5, 3.5),
            _pts(9.5, 8.25, 16.5, 7.5, 10.5, 9.25, 12, 3), (40, 35, 20)),
    SON_MAI: ("canbo.sonmai", S.PUBLISHED, _pts(10, 8.5, 16.5, 7.5, 10.5, 9.5, 12, 3),
              _pts(8.75, 7.5, 15, 6.75, 9.5, 8.5, 10.75, 2.5), (41, 36, 21)),
}
# Of the commune in appraisal, the areas already appraised (by whom they are assigned to).
IN_APPRAISAL_DONE = ("1", "2", "3", "7")
COUNCIL = {
    "review_date": -16, "decision_number": "215/QĐ-UBND", "decision_date": -14,
    "members_present": "\n".join((
        "Phó Chủ tịch UBND tỉnh — Chủ tịch Hội đồng",
        "Giám đốc Sở Nội vụ — Phó Chủ tịch Hội đồng",
        "Phó Giám đốc Sở Tư pháp — thành viên",
        "Phó Giám đốc Sở Tài chính — thành viên",
        "Phó Giám đốc Sở Khoa học và Công nghệ — thành viên",
        "Trưởng phòng Cải cách hành chính, Sở Nội vụ — thư ký",
    )),
}


def current_units_ensure(*, units):
    """Lineage of the merged communes, and the predecessors' end on 30/6/2025 (set once, only when
    the loader finds no end date)."""
    for successor, predecessors in MERGERS.items():
        for code in predecessors:
            UnitLineage.objects.get_or_create(successor=units[successor], predecessor=units[code], defaults={
                "effective_date": MERGER_DATE, "decision": MERGER_DECISION,
            })
        Unit.objects.filter(code__in=predecessors, valid_to__isnull=True).update(
            valid_to=MERGER_DATE - dt.timedelta(days=1))


def _criteria_sets(*, province):
    from parindex.services.criteria import criteria_set_copy, criteria_set_import

    set_2025 = CriteriaSet.objects.filter(code=CRITERIA_CODE_2025).first()
    if set_2025 is None:
        set_2025 = criteria_set_import(source=CRITERIA_FILE_2025, province=province)
    return set_2025, criteria_set_copy


def _year(*, year, province, criteria_set, theme, dates):
    from parindex.services.years import evaluation_year_open

    record, created = EvaluationYear.objects.get_or_create(year=year, scope=province, defaults={
        "criteria_set": criteria_set, "theme": theme, "ranking_scope": RankingScope.PROVINCE,
        "online_filing_threshold": D("95"), **dates,
    })
    evaluation_year_open(year=record)
    Assessment.objects.filter(year=record).update(is_illustrative=True)
    return record, created


def year_2026_dates(*, now):
    today = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)

    def day(offset, hour):
        return (today + dt.timedelta(days=offset)).replace(hour=hour)

    # The 2026 cycle starts now: self-assessment open, closing in about six weeks.
    return {"self_assessment_opens": day(-2, 7), "self_assessment_deadline": day(45, 17),
            "appraisal_round1_deadline": day(75, 17), "explanation_deadline": day(85, 17),
            "appraisal_round2_deadline": day(95, 17)}


# Sở Khoa học và Công nghệ appraises area 7 of these communes only (an assignment to a subset);
# for xã Ba Tơ the area falls to the coordinator.
SUBSETS = {"51-SKHCN": (BA_VINH, BA_VI, BA_XA, SON_MAI)}


def _assignments(*, year, units, users):
    areas = {i.code: i for i in Item.objects.filter(criteria_set=year.criteria_set, parent__isnull=True)}
    coordinator = users[COORDINATOR]
    for code, _name, area, _username in DEPARTMENTS:
        assignment, created = AppraisalAssignment.objects.get_or_create(year=year, item=areas[area], defaults={
            "team": units[code], "assigned_by": coordinator,
        })
        if created and code in SUBSETS:
            assignment.communes.set([units[c] for c in SUBSETS[code]])


def _appraise(assessment, areas_done, appraised, users, salt):
    """Appraised scores for the areas done, each area's scores saved by whoever it is assigned to."""
    from parindex.demo import _fill_appraised, _leaves_by_area

    by_area = {area: username for _code, _name, area, username in DEPARTMENTS}
    _fill_appraised(assessment, appraised[:max(int(c) for c in areas_done)], salt=salt)
    leaves = _leaves_by_area(assessment)
    for index, scores in enumerate(leaves, start=1):
        code = str(index)
        ids = [s.id for s in scores]
        if code not in areas_done:
            Score.objects.filter(pk__in=ids).update(appraised_score=None, appraisal_comment="")
        else:
            Score.objects.filter(pk__in=ids).update(updated_by=users[by_area.get(code, COORDINATOR)])


def _load_2025(*, assessment, scenario, users, now, salt):
    from parindex.demo import _date_history, _fill_self, _self_note

    officer_name, status, self_areas, appraised, days_ago = scenario
    officer, coordinator = users[officer_name], users[COORDINATOR]
    _fill_self(assessment, self_areas, officer, salt=salt)
    if status == S.DRAFT:
        # Ready to submit: the merged commune's officer checks and submits (the browser journey does).
        for score in Score.objects.filter(assessment=assessment):
            Score.objects.filter(pk=score.pk).update(self_note=_self_note(score).replace("2024", "2025"))
        return assessment
    assessment = workflow.assessment_submit(assessment=assessment, actor=officer)
    if status == S.SUBMITTED:
        _date_history(assessment, now, days_ago)
        return assessment
    assessment = workflow.assessment_start_appraisal(assessment=assessment, actor=coordinator)
    done = IN_APPRAISAL_DONE if status == S.IN_APPRAISAL else tuple(str(i) for i in range(1, 9))
    _appraise(assessment, done, appraised, users, salt=salt + 1)
    if status != S.IN_APPRAISAL:
        assessment = workflow.assessment_complete_appraisal(assessment=assessment, actor=coordinator)
        assessment = workflow.assessment_approve(assessment=assessment, actor=coordinator)
    _date_history(assessment, now, days_ago)
    return assessment


def current_structure_load(*, province, units, users, now, report):
    """The 2025 and 2026 years on the merged communes. Returns nothing; adds to `report`."""
    from parindex.demo import _untouched, demo_stage_dates
    from parindex.services.council import council_decision_record

    current_units_ensure(units=units)
    set_2025, criteria_set_copy = _criteria_sets(province=province)
    year_2025, created = _year(year=2025, province=province, criteria_set=set_2025, theme=THEME_2025,
                               dates=demo_stage_dates(now=now))
    report.year_created = report.year_created or created
    _assignments(year=year_2025, units=units, users=users)
    by_code = {a.unit.code: a for a in Assessment.objects.filter(year=year_2025).select_related("unit", "year")}
    published = []
    for salt, (code, scenario) in enumerate(SCENARIOS_2025.items(), start=20):
        assessment = by_code.get(code)
        if assessment is not None and _untouched(assessment):
            assessment = _load_2025(assessment=assessment, scenario=scenario, users=users, now=now, salt=salt)
            report.loaded_communes.append(f"{assessment.unit.display_name} (2025)")
            if scenario[1] == S.PUBLISHED:
                published.append(assessment)
    if published:
        today = timezone.localdate(now)
        council_decision_record(
            year=year_2025, actor=users[COORDINATOR], members_present=COUNCIL["members_present"],
            review_date=today + dt.timedelta(days=COUNCIL["review_date"]),
            decision_number=COUNCIL["decision_number"],
            decision_date=today + dt.timedelta(days=COUNCIL["decision_date"]),
        )
        workflow.results_publish(year=year_2025, actor=users["quantri.quangngai"],
                                 decision_number=COUNCIL["decision_number"],
                                 decision_date=today + dt.timedelta(days=COUNCIL["decision_date"]),
                                 assessments=published)
    # 2026: last year's set, frozen since 2025 opened, copied into the new year's draft; opening the
    # year puts the copy in force.
    set_2026 = CriteriaSet.objects.filter(code=CRITERIA_CODE_2026).first() or criteria_set_copy(
        criteria_set=set_2025, code=CRITERIA_CODE_2026, province=province,
        name="Bộ Chỉ số CCHC của UBND xã, phường, đặc khu tỉnh Quảng Ngãi năm 2026 (nội dung mẫu)",
    )
    _year_2026, created = _year(year=2026, province=province, criteria_set=set_2026, theme=THEME_2026,
                                dates=year_2026_dates(now=now))
    report.year_created = report.year_created or created


def current_years(*, province_code):
    return EvaluationYear.objects.filter(scope__code=province_code, year__in=(2025, 2026))

