"""Appraisal assignments: the coordinator (Sở Nội vụ) gives an area or a criterion of a year to an
appraiser or a department, for every commune or for some; reassigning changes the assignee of the
same assignment, so at any time one party is responsible for each item."""

from django.db import transaction

from communes.models import DEPARTMENT_KINDS, Role
from parindex.errors import ParIndexError
from parindex.models import AppraisalAssignment, AssessmentStatus, Item


class AssignmentError(ParIndexError):
    """A refused assignment; the message is Vietnamese and says why."""


def _check_assignee(*, year, appraiser, team):
    if (appraiser is None) == (team is None):
        raise AssignmentError("Chọn một cán bộ thẩm định hoặc một sở, ngành (chỉ một trong hai).")
    scope_path = year.scope.path
    if team is not None:
        if team.kind not in DEPARTMENT_KINDS or not team.path.startswith(scope_path):
            raise AssignmentError(f"{team.display_name} không phải là sở, ngành của {year.scope.display_name}.")
        if not team.memberships.filter(role=Role.APPRAISER).exists():
            raise AssignmentError(f"{team.display_name} chưa có cán bộ thẩm định nào.")
    if appraiser is not None and not appraiser.memberships.filter(
            role=Role.APPRAISER, unit__path__startswith=scope_path).exists():
        name = appraiser.get_full_name() or appraiser.username
        raise AssignmentError(f"{name} không phải là cán bộ thẩm định của {year.scope.display_name}.")


def assignment_save(*, year, actor, item, appraiser=None, team=None, communes=()):
    """Assign (or reassign) `item` of `year` to `appraiser` or `team`, for `communes` (empty: every
    commune of the year). Returns the assignment."""
    if not actor.has_perm("parindex.manage_assignments", year):
        raise AssignmentError("Chỉ cơ quan chủ trì thẩm định (Sở Nội vụ) được phân công thẩm định.")
    if year.is_published:
        raise AssignmentError("Kết quả của năm đã được công bố: không thể phân công lại.")
    if item.criteria_set_id != year.criteria_set_id:
        raise AssignmentError(f"Tiêu chí {item.code} không thuộc bộ chỉ số của năm {year.year}.")
    _check_assignee(year=year, appraiser=appraiser, team=team)
    communes = list(communes or [])
    in_year = set(year.assessments.values_list("unit_id", flat=True))
    outside = [c.display_name for c in communes if c.id not in in_year]
    if outside:
        raise AssignmentError("Không có trong kỳ đánh giá: " + ", ".join(outside) + ".")
    with transaction.atomic():
        assignment, _ = AppraisalAssignment.objects.select_for_update().get_or_create(
            year=year, item=item, defaults={"appraiser": appraiser, "team": team, "assigned_by": actor},
        )
        assignment.appraiser, assignment.team, assignment.assigned_by = appraiser, team, actor
        assignment.save()
        assignment.communes.set(communes)
    return assignment


def assignment_delete(*, assignment, actor):
    """Withdraw an assignment: its items fall back to the coordinator."""
    if not actor.has_perm("parindex.manage_assignments", assignment.year):
        raise AssignmentError("Chỉ cơ quan chủ trì thẩm định (Sở Nội vụ) được phân công thẩm định.")
    if assignment.year.assessments.filter(status=AssessmentStatus.PUBLISHED).exists() and assignment.year.is_published:
        raise AssignmentError("Kết quả của năm đã được công bố: không thể bỏ phân công.")
    assignment.delete()


def assignable_items(*, year):
    """Areas and criteria (not sub-criteria) of the year's set, in order."""
    return Item.objects.filter(criteria_set_id=year.criteria_set_id, level__in=("area", "criterion")).order_by(
        "sort_key")
