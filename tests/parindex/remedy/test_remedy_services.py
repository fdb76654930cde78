"""Accepting the remedy plan turns its lines into tasks of next year's plan: at once when that year is
open, or when the province opens it; a merged commune's plan goes to its successor."""

import datetime as dt

import pytest

from communes.models import UnitLineage
from parindex.models import PlanTask, RemedyPlanStatus
from parindex.services.remedy import (
    RemedyPlanError,
    remedy_line_create,
    remedy_line_update,
    remedy_plan_accept,
    remedy_plan_draft,
)
from parindex.services.years import evaluation_year_open
from tests.factories import CommuneFactory, EvaluationYearFactory


def next_year(world, **kwargs):
    year = EvaluationYearFactory(year=2025, scope=world.province, criteria_set=world.year.criteria_set, **kwargs)
    evaluation_year_open(year=year)
    return year


def test_accepted_lines_become_tasks_of_next_years_plan(plan, approved):
    year = next_year(approved)
    target = remedy_plan_accept(plan=plan, actor=approved.officer_a)
    assert target.year == year and target.unit == approved.commune_a
    tasks = list(PlanTask.objects.filter(assessment=target).select_related("area").order_by("order"))
    assert [t.content for t in tasks] == [
        "Ban hành kế hoạch CCHC năm đúng hạn. Sản phẩm: Quyết định ban hành kế hoạch",
        "Tập huấn kỹ năng số cho công chức Bộ phận Một cửa.",
    ]
    assert tasks[0].area.code == "1" and tasks[0].area.criteria_set_id == year.criteria_set_id
    assert (tasks[0].lead, tasks[0].deadline) == ("Văn phòng - Thống kê", dt.date(2025, 3, 31))
    assert tasks[1].area is None
    plan.refresh_from_db()
    assert plan.status == RemedyPlanStatus.ACCEPTED and plan.transferred_to == target
    assert [line.plan_task_id for line in plan.lines.order_by("order")] == [t.id for t in tasks]


def test_without_next_year_the_lines_wait_and_go_over_when_the_year_opens(plan, approved):
    assert remedy_plan_accept(plan=plan, actor=approved.officer_a) is None
    plan.refresh_from_db()
    assert plan.status == RemedyPlanStatus.ACCEPTED and plan.transferred_to is None
    assert not PlanTask.objects.filter(assessment__year__year=2025).exists()
    next_year(approved)
    plan.refresh_from_db()
    assert plan.transferred_to.unit == approved.commune_a
    assert PlanTask.objects.filter(assessment=plan.transferred_to).count() == 2


def test_opening_the_year_again_does_not_copy_the_tasks_twice(plan, approved):
    remedy_plan_accept(plan=plan, actor=approved.officer_a)
    year = next_year(approved)
    evaluation_year_open(year=year)
    assert PlanTask.objects.filter(assessment__year=year).count() == 2


def test_a_merged_communes_plan_goes_to_its_successor(plan, approved):
    # Commune A ends with 2024 and merges into a new commune: year 2025 only has the successor.
    successor = CommuneFactory(name="Ba Tơ mới", code="C9", parent=approved.district, valid_from=dt.date(2025, 1, 1))
    UnitLineage.objects.create(successor=successor, predecessor=approved.commune_a, effective_date=dt.date(2025, 1, 1))
    approved.commune_a.valid_to = dt.date(2024, 12, 31)
    approved.commune_a.save()
    assert remedy_plan_accept(plan=plan, actor=approved.officer_a) is None
    next_year(approved)
    plan.refresh_from_db()
    assert plan.transferred_to.unit == successor
    assert PlanTask.objects.filter(assessment__unit=successor).count() == 2


def test_an_accepted_plan_is_not_edited_again(plan, approved):
    remedy_plan_accept(plan=plan, actor=approved.officer_a)
    plan.refresh_from_db()
    line = plan.lines.first()
    with pytest.raises(RemedyPlanError, match="đã được chấp nhận"):
        remedy_line_update(line=line, actor=approved.officer_a, content="Khác")
    with pytest.raises(RemedyPlanError, match="đã được chấp nhận"):
        remedy_line_create(plan=plan, actor=approved.officer_a, content="Thêm")
    with pytest.raises(RemedyPlanError, match="đã được chấp nhận"):
        remedy_plan_accept(plan=plan, actor=approved.officer_a)


def test_an_empty_plan_is_not_accepted(plan, approved):
    plan.lines.all().delete()
    with pytest.raises(RemedyPlanError, match="chưa có nhiệm vụ"):
        remedy_plan_accept(plan=plan, actor=approved.officer_a)


def test_only_the_communes_people_change_the_plan(plan, approved):
    with pytest.raises(RemedyPlanError, match="Chỉ cán bộ, lãnh đạo UBND xã"):
        remedy_plan_accept(plan=plan, actor=approved.appraiser)


def test_no_draft_before_the_result_is_approved(world):
    with pytest.raises(RemedyPlanError, match="đã được phê duyệt"):
        remedy_plan_draft(assessment=world.assessment_a, actor=world.officer_a)
