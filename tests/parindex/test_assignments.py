"""Appraisal split by area: who may score which items, the coordinator's fallback, reassignment,
the return rule, and what a department appraiser sees."""

from decimal import Decimal

import pytest

from parindex.models import AssessmentStatus, Score
from parindex.selectors import assessments_visible_to
from parindex.selectors.assignments import appraisable_item_ids, appraisal_progress
from parindex.services.appraisal import AppraisalSheetError, appraisal_sheet_save
from parindex.services.assignments import AssignmentError, assignment_delete, assignment_save
from parindex.services.workflow import (
    WorkflowError,
    assessment_complete_appraisal,
    assessment_return_for_explanation,
    assessment_start_appraisal,
)
from tests.factories import fill_scores
from tests.parindex.two_tier import two_tier
from tests.parindex.workflow_states import drive

S = AssessmentStatus


@pytest.fixture
def t(world):
    return two_tier(world)


def _submitted(t, assessment=None, officer=None):
    w = t.world
    return drive(assessment or w.assessment_a, S.SUBMITTED, officer=officer or w.officer_a, appraiser=t.coordinator)


def _in_appraisal(t):
    a = _submitted(t)
    return assessment_start_appraisal(assessment=a, actor=t.justice_appraiser)


def _score(a, code):
    return Score.objects.get(assessment=a, item__code=code)


def _save(a, actor, codes, value="0,5", **extra):
    scores = {_score(a, c).id: {"appraised_score": value, **extra} for c in codes}
    return appraisal_sheet_save(assessment=a, actor=actor, values={"scores": scores}, expected_version=a.version)


def _codes(ids, t):
    by_id = {i.id: code for code, i in t.items.items()}
    return sorted(by_id[i] for i in ids)


def test_each_party_may_score_only_its_own_items(t):
    a = _in_appraisal(t)
    assert _codes(appraisable_item_ids(user=t.justice_appraiser, assessment=a), t) == ["1.1", "1.2", "1.3.1", "1.3.2"]
    assert _codes(appraisable_item_ids(user=t.justice_colleague, assessment=a), t) == ["1.1", "1.2", "1.3.1", "1.3.2"]
    assert _codes(appraisable_item_ids(user=t.finance_appraiser, assessment=a), t) == ["2.1"]
    # Items without an assignment fall to the coordinator.
    assert _codes(appraisable_item_ids(user=t.coordinator, assessment=a), t) == ["2.2.1", "2.2.2"]


def test_it_refuses_a_department_appraiser_saving_an_item_of_another_area(t):
    a = _in_appraisal(t)
    with pytest.raises(AppraisalSheetError) as exc:
        _save(a, t.justice_appraiser, ["1.1", "2.2.1"])
    assert "2.2.1 không thuộc phần được phân công" in exc.value.message
    assert "Sở Nội vụ" in exc.value.message
    assert _score(a, "1.1").appraised_score is None  # nothing half-saved


def test_it_refuses_the_coordinator_saving_an_assigned_item(t):
    a = _in_appraisal(t)
    with pytest.raises(AppraisalSheetError) as exc:
        _save(a, t.coordinator, ["1.2"])
    assert "do Sở Tư pháp thẩm định" in exc.value.message


def test_a_department_appraiser_saves_and_flags_items_of_their_area(t):
    a = _in_appraisal(t)
    _save(a, t.justice_appraiser, ["1.1"], flagged=True, flag_comment="Bổ sung quyết định")
    s = _score(a, "1.1")
    assert s.appraised_score == Decimal("0.5") and s.flagged and s.updated_by == t.justice_appraiser


def test_a_department_appraiser_may_not_set_bonus_points(t):
    a = _in_appraisal(t)
    with pytest.raises(AppraisalSheetError, match="Sở Nội vụ"):
        appraisal_sheet_save(assessment=a, actor=t.justice_appraiser, values={"bonus_points": "1"},
                             expected_version=a.version)


def test_an_assignment_to_some_communes_leaves_the_others_to_the_coordinator(t):
    w = t.world
    b = _submitted(t, w.assessment_b, w.officer_b)
    assert _codes(appraisable_item_ids(user=t.finance_appraiser, assessment=b), t) == []
    assert "2.1" in _codes(appraisable_item_ids(user=t.coordinator, assessment=b), t)


def test_without_assignments_the_district_appraiser_scores_everything_as_before(world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    assert len(appraisable_item_ids(user=world.appraiser, assessment=a)) == 7
    assert Score.objects.filter(assessment=a, appraised_score__isnull=False).count() == 7


def test_a_department_appraiser_sees_only_assigned_communes(t):
    w = t.world
    assert set(assessments_visible_to(t.justice_appraiser)) == {w.assessment_a, w.assessment_b, w.assessment_c}
    assert set(assessments_visible_to(t.finance_appraiser)) == {w.assessment_a}
    outsider = t.finance_appraiser.__class__.objects.create(username="chua_phan_cong")
    assert not assessments_visible_to(outsider).exists()


def test_reassigning_moves_the_items_to_the_new_assignee(t):
    a = _in_appraisal(t)
    assignment_save(year=t.world.year, actor=t.coordinator, item=t.items["1"], team=t.finance)
    t.justice_appraiser.__dict__.pop("_par_assignments", None)
    assert _codes(appraisable_item_ids(user=t.justice_appraiser, assessment=a), t) == []
    assert "1.1" in _codes(appraisable_item_ids(user=t.finance_appraiser, assessment=a), t)
    assert t.world.year.assignments.filter(item=t.items["1"]).count() == 1


def test_withdrawing_an_assignment_gives_the_items_back_to_the_coordinator(t):
    a = _in_appraisal(t)
    assignment_delete(assignment=t.crit21, actor=t.coordinator)
    assert "2.1" in _codes(appraisable_item_ids(user=t.coordinator, assessment=a), t)


def test_it_refuses_assignments_by_anyone_but_the_coordinator(t):
    w = t.world
    for actor in (w.appraiser, t.justice_appraiser, w.officer_a):
        with pytest.raises(AssignmentError, match="Sở Nội vụ"):
            assignment_save(year=w.year, actor=actor, item=t.items["2"], team=t.finance)
    assignment_save(year=w.year, actor=w.admin, item=t.items["2"], team=t.finance)  # the administrator may


def test_it_refuses_a_team_that_is_not_a_department_and_an_appraiser_of_another_province(t):
    w = t.world
    with pytest.raises(AssignmentError, match="không phải là sở, ngành"):
        assignment_save(year=w.year, actor=t.coordinator, item=t.items["2"], team=w.district)
    with pytest.raises(AssignmentError, match="không phải là cán bộ thẩm định"):
        assignment_save(year=w.year, actor=t.coordinator, item=t.items["2"], appraiser=w.officer_a)
    with pytest.raises(AssignmentError, match="chỉ một trong hai"):
        assignment_save(year=w.year, actor=t.coordinator, item=t.items["2"], team=t.finance,
                        appraiser=t.finance_appraiser)


def test_the_database_refuses_an_assignment_without_assignee(t):
    from django.db import IntegrityError, transaction

    from parindex.models import AppraisalAssignment

    with pytest.raises(IntegrityError), transaction.atomic():
        AppraisalAssignment.objects.create(year=t.world.year, item=t.items["2.2"])
    with pytest.raises(IntegrityError), transaction.atomic():
        AppraisalAssignment.objects.create(year=t.world.year, item=t.items["1"], team=t.finance)


def _flag_coordinator_item(t, a):
    _save(a, t.coordinator, ["2.2.1", "2.2.2"])
    _save(a, t.coordinator, ["2.2.1"], flagged=True, flag_comment="Bổ sung báo cáo")
    return a


def test_it_refuses_returning_before_the_assigned_areas_are_done(t):
    a = _flag_coordinator_item(t, _in_appraisal(t))
    with pytest.raises(WorkflowError) as exc:
        assessment_return_for_explanation(assessment=a, actor=t.coordinator)
    assert "1.1" in exc.value.message and "2.1" in exc.value.message


def test_the_coordinator_returns_early_when_confirmed(t):
    a = _flag_coordinator_item(t, _in_appraisal(t))
    a = assessment_return_for_explanation(assessment=a, actor=t.coordinator, early=True)
    assert a.status == S.RETURNED
    assert "trước khi các lĩnh vực được phân công chấm xong" in a.events.get(action="return").comment


def test_the_coordinator_returns_and_completes_once_every_area_is_done(t):
    a = _flag_coordinator_item(t, _in_appraisal(t))
    _save(a, t.justice_appraiser, ["1.1", "1.2", "1.3.1", "1.3.2"])
    _save(a, t.finance_appraiser, ["2.1"])
    a = assessment_return_for_explanation(assessment=a, actor=t.coordinator)
    assert a.status == S.RETURNED


def test_a_department_appraiser_may_start_but_not_return_complete_or_approve(t):
    a = _in_appraisal(t)
    assert a.status == S.IN_APPRAISAL
    for fn in (assessment_return_for_explanation, assessment_complete_appraisal):
        with pytest.raises(WorkflowError, match="không có quyền"):
            fn(assessment=a, actor=t.justice_appraiser)


def test_the_progress_counts_each_area_of_each_commune(t):
    w = t.world
    a = _in_appraisal(t)
    _save(a, t.justice_appraiser, ["1.1", "1.2"])
    fill_scores(w.assessment_b)
    areas, rows = appraisal_progress(year=w.year, assessments=[a, w.assessment_b])
    assert [x.code for x in areas] == ["1", "2"]
    row_a = rows[0]
    assert (row_a.cells[0].done, row_a.cells[0].total, row_a.cells[0].assignees) == (2, 4, ["Sở Tư pháp"])
    assert row_a.cells[1].assignees == [t.finance_appraiser.get_full_name()]
    assert not row_a.assigned_done
    assert rows[1].cells[1].assignees == []  # 2.1 is assigned for commune A only


def test_after_an_early_return_the_departments_finish_their_items_in_round_2(t):
    from parindex.services.explanation import explanation_save
    from parindex.services.workflow import assessment_resubmit

    w = t.world
    a = _flag_coordinator_item(t, _in_appraisal(t))
    a = assessment_return_for_explanation(assessment=a, actor=t.coordinator, early=True)
    flagged = _score(a, "2.2.1")
    a = explanation_save(assessment=a, actor=w.officer_a,
                         values={flagged.id: {"explanation": "Đã bổ sung báo cáo", "version": flagged.version}}
                         ).assessment
    a = assessment_resubmit(assessment=a, actor=w.officer_a)
    with pytest.raises(WorkflowError, match="Chưa chấm điểm thẩm định"):
        assessment_complete_appraisal(assessment=a, actor=t.coordinator)
    for actor, codes in ((t.justice_appraiser, ["1.1", "1.2", "1.3.1", "1.3.2"]), (t.finance_appraiser, ["2.1"])):
        values = {"scores": {_score(a, c).id: {"round2_score": "0,5"} for c in codes}}
        a = appraisal_sheet_save(assessment=a, actor=actor, values=values, expected_version=a.version).assessment
    # An item appraised in round 1 and not flagged stays closed in round 2.
    with pytest.raises(AppraisalSheetError):
        appraisal_sheet_save(assessment=a, actor=t.coordinator, expected_version=a.version,
                             values={"scores": {_score(a, "2.2.2").id: {"round2_score": "0"}}})
    a = assessment_complete_appraisal(assessment=a, actor=t.coordinator)
    assert a.status == S.APPRAISED
