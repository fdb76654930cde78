"""The demo data: Ba Thành's figures equal its report (the seed), the rest is coherent and marked
illustrative, and loading twice changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communes.models import Recipient, Role, Signatory, SignatoryPosition, Unit
from communes.selectors import units_visible_to
from parindex.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    THEME_2024,
    demo_load,
    points_follow,
    points_spread,
)
from parindex.models import (
    Assessment,
    AssessmentStatus,
    DocumentType,
    EvaluationYear,
    MeetingKind,
    PlanTaskStatus,
    Score,
)
from parindex.selectors import assessment_totals, assessments_visible_to, year_ranking

User = get_user_model()
D = Decimal
SEED_SELF = [D(v) for v in ("11.5", "6", "17", "5", "8", "8", "12.5", "3")]
SEED_APPRAISED = [D(v) for v in ("6.73", "6", "15.46", "4.5", "7.5", "7.24", "7.27", "4")]
SEED_MAX = [D(v) for v in ("11.5", "11", "21", "9", "14", "12", "17.5", "4")]


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at the end: each test
    runs in a savepoint inside it (the `db` fixture), so tests stay isolated and other modules
    never see the demo rows."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = demo_load()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded, db):
    return _demo_loaded


@pytest.fixture
def ba_thanh(demo):
    return Assessment.objects.select_related("year", "unit").get(unit__code="21199", year__year=2024)


def _snapshot():
    """Every row of every table the demo writes, as plain values."""
    models = [m for m in apps.get_models(include_auto_created=True)
              if m._meta.app_label in ("communes", "parindex", "auth")]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


def test_loading_twice_changes_and_duplicates_nothing(demo):
    before = _snapshot()
    again = demo_load()
    assert not again.changed
    assert _snapshot() == before


def test_ba_thanh_area_totals_equal_the_seed(ba_thanh):
    totals = assessment_totals(assessment=ba_thanh)
    assert [a.max_points for a in totals.areas] == SEED_MAX
    assert [a.self_total for a in totals.areas] == SEED_SELF
    assert [a.appraised_total for a in totals.areas] == SEED_APPRAISED
    assert totals.self_total == D("71")
    assert totals.final_total == D("58.70")


def test_ba_thanh_leaf_scores_are_within_bounds_with_notes(ba_thanh):
    scores = list(ba_thanh.scores.all())
    assert scores
    for s in scores:
        assert D(0) <= s.self_score <= s.max_points
        assert D(0) <= s.appraised_score <= s.max_points
        assert s.self_score == s.self_score.quantize(D("0.01"))
        assert s.self_note.strip()
        assert not s.not_applicable


def test_ba_thanh_went_through_the_workflow(ba_thanh):
    assert ba_thanh.status == AssessmentStatus.APPROVED
    assert not ba_thanh.is_illustrative
    events = list(ba_thanh.events.order_by("at"))
    assert [e.action for e in events] == ["submit", "start_appraisal", "complete", "approve"]
    assert [e.actor.username for e in events] == ["canbo.bathanh"] + ["thamdinh.bato"] * 3
    year = ba_thanh.year
    assert year.self_assessment_opens < ba_thanh.submitted_at < ba_thanh.appraisal_started_at
    assert ba_thanh.appraisal_started_at < ba_thanh.appraised_at < ba_thanh.approved_at
    assert ba_thanh.submitted_at <= year.self_assessment_deadline
    assert [e.at for e in events] == [ba_thanh.submitted_at, ba_thanh.appraisal_started_at,
                                      ba_thanh.appraised_at, ba_thanh.approved_at]
    assert events[-1].totals["final_total"] == "58.70"


def test_ba_thanh_plan_documents_meetings_and_figures(ba_thanh):
    assert (ba_thanh.plan_number, ba_thanh.plan_date) == ("193/QĐ-UBND", dt.date(2023, 12, 29))
    tasks = ba_thanh.plan_tasks.all()
    assert tasks.count() == 58
    assert tasks.filter(status=PlanTaskStatus.DONE).count() == 57
    assert tasks.filter(status=PlanTaskStatus.NOT_DONE).count() == 1
    assert tasks.filter(area__isnull=True).count() == 0
    assert tasks.values("area").distinct().count() == 8

    # The 9 documents the seed lists, in its order, and the 12 it declares: nothing invented.
    documents = ba_thanh.documents.all()
    assert documents.count() == 9 and ba_thanh.documents_declared == 12
    assert not documents.filter(is_illustrative=True).exists()
    assert [d.number_symbol for d in documents][:4] == ["194/QĐ-UBND", "195/QĐ-UBND", "23/UBND", "45/UBND"]
    seed = {(d.doc_type, d.number_symbol, d.issued_on) for d in documents}
    assert seed == {
        (DocumentType.QUYET_DINH, "194/QĐ-UBND", dt.date(2023, 12, 29)),
        (DocumentType.QUYET_DINH, "195/QĐ-UBND", dt.date(2023, 12, 29)),
        (DocumentType.CONG_VAN, "23/UBND", dt.date(2024, 2, 26)),
        (DocumentType.CONG_VAN, "45/UBND", dt.date(2023, 6, 1)),
        (DocumentType.KE_HOACH, "74/KH-UBND", dt.date(2024, 7, 12)),
        (DocumentType.THONG_BAO, "28/TB-UBND", dt.date(2024, 7, 25)),
        (DocumentType.BAO_CAO, "33/BC-UBND", dt.date(2024, 3, 11)),
        (DocumentType.BAO_CAO, "102/BC-UBND", dt.date(2024, 6, 11)),
        (DocumentType.BAO_CAO, "189/BC-UBND", dt.date(2024, 9, 27)),
    }

    assert ba_thanh.meetings.filter(kind=MeetingKind.CONFERENCE).count() == 2
    assert ba_thanh.meetings.filter(kind=MeetingKind.REGULAR).count() == 5

    figures = ba_thanh.service_figures
    assert (figures.period_start, figures.period_end) == (dt.date(2023, 12, 15), dt.date(2024, 11, 15))
    assert (figures.dossiers_received, figures.dossiers_online) == (946, 946)
    assert figures.results_digitised is None
    assert figures.digitised_rate_published == D("95.39")


def test_ba_thanh_report_particulars_and_people(ba_thanh):
    assert ba_thanh.report_request == "Công văn số 50/UBND ngày 08/01/2025 của UBND huyện"
    assert ba_thanh.report_addressee == "UBND huyện"
    # A draft: neither number nor date (both are given when the report is issued).
    assert ba_thanh.report_number == "" and ba_thanh.report_date is None
    assert ba_thanh.proposals == "Không có"
    assert "Một số người dân chưa biết" in ba_thanh.weaknesses  # the seed's typo "gười" fixed
    assert " gười" not in ba_thanh.weaknesses
    assert "57/58" in ba_thanh.strengths
    assert ba_thanh.signatory.full_name == "Phạm Văn Thước"
    assert ba_thanh.signatory.authority_lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert Signatory.objects.filter(unit=ba_thanh.unit, position=SignatoryPosition.CHAIRMAN).exists()
    assert list(Recipient.objects.filter(unit=ba_thanh.unit).values_list("text", flat=True)) == [
        "UBND huyện", "Phòng Nội vụ huyện", "TT Đảng ủy xã", "TT HĐND xã", "UBND xã", "Lưu: VT",
    ]


def test_the_year_is_open_now_on_the_shipped_set(demo):
    year = EvaluationYear.objects.get(year=2024, scope__code="51")
    assert year.criteria_set.code == "quang-ngai-xa-673-2023"
    assert year.theme == THEME_2024
    assert year.online_filing_threshold == D("95")
    assert year.ranking_scope == "district"
    assert year.opened_at is not None
    assert (year.self_assessment_opens < year.self_assessment_deadline < year.appraisal_round1_deadline
            < year.explanation_deadline < year.appraisal_round2_deadline)
    assert year.self_assessment_opens < timezone.now() < year.self_assessment_deadline


def test_units_show_both_structures(demo):
    ba_to = Unit.objects.get(code="513")
    communes = Unit.objects.filter(parent=ba_to)
    assert communes.filter(name="Ba Thành").exists()
    assert communes.count() >= 7
    assert Unit.objects.filter(parent__code="511").count() == 2
    new = Unit.objects.get(name="Ba Tơ", parent__code="51", kind="xa")
    assert new.valid_from == dt.date(2025, 7, 1) and new.is_illustrative
    assert Unit.objects.get(code="21199") in new.predecessors.all()
    # a unit of 2025 has no 2024 assessment
    assert not Assessment.objects.filter(unit=new, year__year=2024).exists()


def test_other_communes_cover_every_state_and_are_illustrative(demo):
    others = Assessment.objects.exclude(unit__code="21199")
    assert others.exists()
    assert not others.filter(is_illustrative=False).exists()
    statuses = set(others.values_list("status", flat=True))
    assert {AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.IN_APPRAISAL,
            AssessmentStatus.RETURNED, AssessmentStatus.APPROVED} <= statuses
    ba_dong = Assessment.objects.get(unit__name="Ba Động")
    assert ba_dong.status == AssessmentStatus.DRAFT
    assert 0 < ba_dong.scores.filter(self_score__isnull=False).count() < ba_dong.scores.count()
    returned = others.get(status=AssessmentStatus.RETURNED)
    flagged = Score.objects.filter(assessment=returned, flagged=True)
    assert flagged.count() == 2 and not flagged.filter(flag_comment="").exists()


def test_the_district_ranking_has_a_tie(demo):
    year = EvaluationYear.objects.get(year=2024)
    results = [r for r in year_ranking(year=year, assessments=Assessment.objects.filter(year=year)) if r.group.code == "513"]
    ranks = [r.rank for r in results if r.rank is not None]
    assert len(ranks) >= 4
    assert len(ranks) != len(set(ranks)), "two communes should share a rank"
    ba_thanh = next(r for r in results if r.unit.code == "21199")
    assert ba_thanh.totals.final_total == D("58.70")


def test_each_demo_account_can_sign_in_and_has_its_role(demo, client):
    for account in DEMO_ACCOUNTS:
        assert client.login(username=account.username, password=DEMO_PASSWORD), account.username
        user = User.objects.get(username=account.username)
        if account.role is None:
            assert user.is_superuser
        else:
            assert user.memberships.filter(role=account.role, unit__code=account.unit_code).exists()
        client.logout()
    assert User.objects.get(username="quantri.quangngai").is_staff


def test_login_page_accepts_a_demo_account(demo, client):
    response = client.post(reverse("login"), {"username": "canbo.bathanh", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_demo_appraisers_see_only_their_district(demo):
    bato = User.objects.get(username="thamdinh.bato")
    minhlong = User.objects.get(username="thamdinh.minhlong")
    assert {a.unit.parent.code for a in assessments_visible_to(bato)} == {"513"}
    assert {a.unit.parent.code for a in assessments_visible_to(minhlong)} == {"511"}
    assert Unit.objects.get(code="21163") not in units_visible_to(bato)
    viewer = User.objects.get(username="xem.bato")
    assert set(assessments_visible_to(viewer)) == set(assessments_visible_to(bato))
    assert User.objects.get(username="canbo.badong").memberships.get().role == Role.COMMUNE_OFFICER


@pytest.mark.parametrize("total", ["0", "6.73", "11.5", "3.01"])
def test_points_spread_sums_exactly_within_each_maximum(total):
    maxima = [D("1"), D("1.5"), D("2"), D("2"), D("1.5"), D("2"), D("1.5")]
    for salt in range(5):
        values = points_spread(total=D(total), maxima=maxima, salt=salt)
        assert sum(values) == D(total)
        assert all(D(0) <= v <= m for v, m in zip(values, maxima, strict=True))
        assert all(v == v.quantize(D("0.01")) for v in values)
    assert points_spread(total=D(total), maxima=maxima, salt=2) == points_spread(total=D(total), maxima=maxima,
                                                                                    salt=2)


def test_points_follow_trims_claims_and_raises_only_when_needed():
    maxima = [D("1"), D("0.5"), D("0.5"), D("2")]
    claimed = [D("0.75"), D("0.5"), D("0.25"), D("1.5")]
    trimmed = points_follow(total=D("2.5"), base=claimed, maxima=maxima)
    assert sum(trimmed) == D("2.5")
    assert all(t <= c for t, c in zip(trimmed, claimed, strict=True))
    raised = points_follow(total=D("4"), base=claimed, maxima=maxima)
    assert raised == maxima


def test_points_spread_refuses_a_total_above_the_maximum():
    with pytest.raises(ValueError):
        points_spread(total=D("111.5"), maxima=[D("11.5")])


def test_ba_thanh_pre_submit_check_warns_of_the_declared_count_and_the_2023_letter(ba_thanh):
    from parindex.services.quality import register_warnings

    warnings = register_warnings(assessment=ba_thanh)
    assert warnings[0] == "Đã kê khai 12 văn bản chỉ đạo, điều hành nhưng danh mục có 09 văn bản."
    assert len(warnings) == 2 and "Công văn số 45/UBND ngày 01/06/2023" in warnings[1]
