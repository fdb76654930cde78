"""Opening an evaluation year: one assessment per commune in scope, a score per scored item."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import UnitKind
from parindex.models import Assessment, CriteriaSetStatus, Item, Score
from parindex.services import years as years_service
from parindex.services.years import evaluation_year_open
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    EvaluationYearFactory,
    ProvinceFactory,
    UnitFactory,
    build_criteria_set,
)


@pytest.fixture
def province_world(db):
    province = ProvinceFactory()
    district = DistrictFactory(code="D1", parent=province)
    other_province = UnitFactory(name="Bình Định", kind=UnitKind.PROVINCE, code="52")
    other_district = DistrictFactory(code="D9", parent=other_province)
    communes = [CommuneFactory(code=f"C{i}", parent=district) for i in range(1, 4)]
    ward = CommuneFactory(code="W1", kind=UnitKind.WARD, parent=district)
    communes.append(ward)
    expired = CommuneFactory(code="OLD", parent=district, valid_to=dt.date(2023, 12, 31))
    future = CommuneFactory(code="NEW", parent=district, valid_from=dt.date(2025, 7, 1))
    merged_mid_year = CommuneFactory(code="MID", parent=district, valid_to=dt.date(2024, 6, 30))
    elsewhere = CommuneFactory(code="X1", parent=other_district)
    special_zone = CommuneFactory(code="Z1", kind=UnitKind.SPECIAL_ZONE, parent=district)
    criteria_set = build_criteria_set(status=CriteriaSetStatus.DRAFT)
    year = EvaluationYearFactory(year=2024, scope=province, criteria_set=criteria_set)
    return {
        "province": province, "district": district, "year": year, "in_scope": communes + [merged_mid_year],
        "expired": expired, "future": future, "elsewhere": elsewhere, "special_zone": special_zone,
    }


def test_it_creates_one_assessment_per_commune_in_scope(province_world):
    year = province_world["year"]
    created = evaluation_year_open(year=year)
    expected = {u.pk for u in province_world["in_scope"]}
    assert created == len(expected) == 5
    assert set(Assessment.objects.filter(year=year).values_list("unit_id", flat=True)) == expected


def test_it_skips_other_provinces_expired_future_and_unlisted_kinds(province_world):
    evaluation_year_open(year=province_world["year"])
    units = set(Assessment.objects.values_list("unit__code", flat=True))
    for key in ("expired", "future", "elsewhere", "special_zone"):
        assert province_world[key].code not in units


def test_each_assessment_gets_one_score_per_leaf_with_the_leaf_max(province_world):
    year = province_world["year"]
    evaluation_year_open(year=year)
    leaves = {i.pk: i.max_points for i in Item.objects.filter(criteria_set=year.criteria_set, is_leaf=True)}
    assert len(leaves) == 7
    for assessment in Assessment.objects.filter(year=year):
        scores = {s.item_id: s.max_points for s in assessment.scores.all()}
        assert scores == leaves
    assert not Score.objects.filter(item__is_leaf=False).exists()


def test_the_created_scores_hold_the_same_empty_values_as_a_new_score(province_world):
    year = province_world["year"]
    evaluation_year_open(year=year)
    created = Score.objects.select_related("item").first()
    fresh = Score(assessment=created.assessment, item=created.item, max_points=created.item.max_points)
    skip = {"id", "updated_at"}
    for field in Score._meta.concrete_fields:
        if field.name not in skip:
            assert getattr(created, field.attname) == getattr(fresh, field.attname), field.name
    assert created.updated_at is not None


def test_opening_twice_creates_nothing_new(province_world):
    year = province_world["year"]
    evaluation_year_open(year=year)
    counts = (Assessment.objects.count(), Score.objects.count())
    assert evaluation_year_open(year=year) == 0
    assert (Assessment.objects.count(), Score.objects.count()) == counts


def test_a_commune_added_later_gets_its_assessment(province_world):
    year = province_world["year"]
    evaluation_year_open(year=year)
    late = CommuneFactory(code="LATE", parent=province_world["district"])
    assert evaluation_year_open(year=year) == 1
    assert Assessment.objects.get(year=year, unit=late).scores.count() == 7


def test_it_records_when_the_year_was_opened_and_activates_a_draft_set(province_world):
    year = province_world["year"]
    assert year.opened_at is None
    evaluation_year_open(year=year)
    year.refresh_from_db()
    assert year.opened_at is not None
    assert year.criteria_set.status == CriteriaSetStatus.ACTIVE


def test_the_number_of_queries_is_fixed_per_batch_of_communes(province_world, monkeypatch):
    year = province_world["year"]
    evaluation_year_open(year=year)  # first opening also stamps the year: measure the steady state
    monkeypatch.setattr(years_service, "ASSESSMENT_BATCH", 5)

    def queries_to_reopen():
        Assessment.objects.filter(year=year).delete()
        with CaptureQueriesContext(connection) as ctx:
            evaluation_year_open(year=year)
        return len(ctx)

    one_batch = queries_to_reopen()  # 5 communes
    for i in range(5):
        CommuneFactory(code=f"K{i}", parent=province_world["district"])
    two_batches = queries_to_reopen()
    for i in range(5, 40):
        CommuneFactory(code=f"K{i}", parent=province_world["district"])
    nine_batches = queries_to_reopen()
    per_batch = two_batches - one_batch
    assert 0 < per_batch <= 4
    assert nine_batches - one_batch == 8 * per_batch
    assert Assessment.objects.filter(year=year).count() == 45


def test_a_year_after_a_merger_assesses_the_new_commune_not_its_predecessors(province_world):
    from communes.models import UnitLineage

    district = province_world["district"]
    merged = [CommuneFactory(code=f"P{i}", parent=district, valid_to=dt.date(2025, 6, 30)) for i in (1, 2)]
    successor = CommuneFactory(code="S1", parent=province_world["province"], valid_from=dt.date(2025, 7, 1))
    for unit in merged:
        UnitLineage.objects.create(successor=successor, predecessor=unit, effective_date=dt.date(2025, 7, 1))
    year_2025 = EvaluationYearFactory(year=2025, scope=province_world["province"],
                                      criteria_set=province_world["year"].criteria_set)
    evaluation_year_open(year=year_2025)
    codes = set(Assessment.objects.filter(year=year_2025).values_list("unit__code", flat=True))
    assert "S1" in codes and not codes & {"P1", "P2"}
    # In 2024, before the merger, the predecessors are assessed.
    evaluation_year_open(year=province_world["year"])
    codes_2024 = set(Assessment.objects.filter(year=province_world["year"]).values_list("unit__code", flat=True))
    assert {"P1", "P2"} <= codes_2024 and "S1" not in codes_2024
