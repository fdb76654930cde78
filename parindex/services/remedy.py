"""The remedy plan (Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số CCHC năm N+1): drafted from
the points the commune lost in year N, edited by the commune, accepted, and turned into tasks of
year N+1's plan. If year N+1 is not opened yet, the accepted lines wait and are transferred when the
province opens it (evaluation_year_open calls remedy_plans_transfer_pending)."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from parindex.errors import ParIndexError
from parindex.models import (
    AssessmentStatus,
    Item,
    ItemLevel,
    PlanTask,
    RemedyLine,
    RemedyPlan,
    RemedyPlanStatus,
)
from parindex.numbers import format_points
from parindex.selectors.remedy import next_year_assessment
from parindex.selectors.tree import assessment_tree

RESULT_STATUSES = (AssessmentStatus.APPROVED, AssessmentStatus.PUBLISHED)
# An item is weak when it lost at least half its maximum: the plan starts from the clear failures and
# the commune adds what else it wants to improve.
WEAK_SHARE = Decimal("0.5")
LINE_FIELDS = ("content", "lead", "deadline", "expected_output")


class RemedyPlanError(ParIndexError):
    pass


def _require_editor(plan_or_assessment, actor):
    assessment = getattr(plan_or_assessment, "assessment", plan_or_assessment)
    if actor is not None and not actor.has_perm("parindex.edit_remedy_plan", assessment):
        raise RemedyPlanError("Chỉ cán bộ, lãnh đạo UBND xã mới được lập và sửa kế hoạch khắc phục của xã.")


def _require_draft(plan):
    if not plan.is_draft:
        raise RemedyPlanError("Kế hoạch đã được chấp nhận nên không sửa được nữa.")


def _usual_leads(assessment):
    """{area code: the lead named most often for that area in this year's plan}: who did the work
    this year is the best first guess of who leads its remedy next year."""
    counts = {}
    for area_code, lead in PlanTask.objects.filter(assessment=assessment).exclude(lead="") \
            .values_list("area__code", "lead"):
        counts.setdefault(area_code, Counter())[lead.strip()] += 1
    return {code: c.most_common(1)[0][0] for code, c in counts.items()}


def remedy_draft_lines(*, assessment):
    """The proposed lines: one per weak item (points lost = maximum − final, from the read model),
    heaviest losses first."""
    tree = assessment_tree(assessment=assessment, with_last_year=False)
    leads = _usual_leads(assessment)
    next_year = assessment.year.year + 1
    area_code = {a.item.id: a.item.code for a in tree.areas}
    weak = [leaf for leaf in tree.leaves
            if leaf.points_lost and leaf.points_lost >= leaf.max_points * WEAK_SHARE]
    weak.sort(key=lambda leaf: (-leaf.points_lost, leaf.item.sort_key))
    lines = []
    for order, leaf in enumerate(weak, start=1):
        item = leaf.item
        lines.append(RemedyLine(
            order=order, item=item, points_lost=leaf.points_lost,
            content=(f"Khắc phục hạn chế của tiêu chí {item.code} “{item.name}” (năm {assessment.year.year} đạt "
                     f"{format_points(leaf.final)}/{format_points(leaf.max_points)} điểm)."),
            lead=leads.get(area_code.get(item.area_id), ""),
            # Done before the next self-assessment opens (usually in October).
            deadline=dt.date(next_year, 9, 30),
            expected_output=(item.evidence_guide or "Báo cáo kết quả thực hiện")[:300],
        ))
    return lines


@transaction.atomic
def remedy_plan_draft(*, assessment, actor):
    """Create the plan with its proposed lines; refused before the result is approved or if a plan exists."""
    _require_editor(assessment, actor)
    if assessment.status not in RESULT_STATUSES:
        raise RemedyPlanError("Chỉ lập kế hoạch khắc phục khi kết quả thẩm định đã được phê duyệt.")
    if RemedyPlan.objects.filter(assessment=assessment).exists():
        raise RemedyPlanError("Xã đã có dự thảo kế hoạch khắc phục của năm này.")
    plan = RemedyPlan.objects.create(assessment=assessment)
    lines = remedy_draft_lines(assessment=assessment)
    for line in lines:
        line.plan = plan
    RemedyLine.objects.bulk_create(lines)
    return plan


def remedy_plan_update(*, plan, actor, number, issued_on):
    _require_editor(plan, actor)
    plan.number, plan.issued_on = (number or "").strip(), issued_on
    plan.save(update_fields=["number", "issued_on"])
    return plan


def remedy_line_create(*, plan, actor, **fields):
    _require_editor(plan, actor)
    _require_draft(plan)
    last = plan.lines.aggregate(m=Max("order"))["m"] or 0
    line = RemedyLine(plan=plan, order=last + 1, **{k: fields[k] for k in LINE_FIELDS if k in fields})
    line.save()
    return line


def remedy_line_update(*, line, actor, **fields):
    _require_editor(line.plan, actor)
    _require_draft(line.plan)
    for key in LINE_FIELDS:
        if key in fields:
            setattr(line, key, fields[key])
    line.save()
    return line


def remedy_line_delete(*, line, actor):
    _require_editor(line.plan, actor)
    _require_draft(line.plan)
    line.delete()


def _area_in(criteria_set_id, item):
    """The area with the same code in year N+1's set (a new decision may have issued a new set)."""
    if item is None:
        return None
    code = item.code.split(".")[0]
    return Item.objects.filter(criteria_set_id=criteria_set_id, level=ItemLevel.AREA, code=code).first()


def _task_content(line):
    output = line.expected_output.strip()
    return f"{line.content.strip()} Sản phẩm: {output}" if output else line.content.strip()


@transaction.atomic
def remedy_plan_transfer(*, plan):
    """Put the accepted lines into year N+1's plan. Returns the next year's assessment, or None
    when it does not exist yet or no longer takes new tasks (the lines then keep waiting)."""
    plan = RemedyPlan.objects.select_for_update().select_related("assessment__unit", "assessment__year") \
        .get(pk=plan.pk)
    if plan.status != RemedyPlanStatus.ACCEPTED or plan.transferred_to_id:
        return plan.transferred_to
    target = next_year_assessment(assessment=plan.assessment)
    if target is None or target.status != AssessmentStatus.DRAFT:
        return None
    start = PlanTask.objects.filter(assessment=target).aggregate(m=Max("order"))["m"] or 0
    lines = list(plan.lines.select_related("item").filter(plan_task__isnull=True).order_by("order", "id"))
    for index, line in enumerate(lines, start=1):
        line.plan_task = PlanTask.objects.create(
            assessment=target, order=start + index, content=_task_content(line),
            area=_area_in(target.year.criteria_set_id, line.item), lead=line.lead, deadline=line.deadline,
        )
        line.save(update_fields=["plan_task"])
    plan.transferred_to, plan.transferred_at = target, timezone.now()
    plan.save(update_fields=["transferred_to", "transferred_at"])
    return target


def remedy_plan_accept(*, plan, actor):
    """Accept the plan: its lines become tasks of year N+1's plan now, or as soon as that year opens.
    Returns the next year's assessment the tasks went to, or None when they wait."""
    _require_editor(plan, actor)
    _require_draft(plan)
    if not plan.lines.exists():
        raise RemedyPlanError("Kế hoạch chưa có nhiệm vụ nào: hãy thêm ít nhất một nhiệm vụ trước khi chấp nhận.")
    with transaction.atomic():
        updated = RemedyPlan.objects.filter(pk=plan.pk, status=RemedyPlanStatus.DRAFT).update(
            status=RemedyPlanStatus.ACCEPTED, accepted_at=timezone.now(), accepted_by=actor)
        if not updated:
            raise RemedyPlanError("Kế hoạch vừa được chấp nhận ở một phiên làm việc khác.")
        target = remedy_plan_transfer(plan=plan)
    plan.refresh_from_db()
    return target


def remedy_plans_transfer_pending(*, year):
    """Called when `year` opens: accepted plans of the year before whose tasks were waiting for it."""
    pending = RemedyPlan.objects.filter(status=RemedyPlanStatus.ACCEPTED, transferred_to__isnull=True,
                                        assessment__year__year=year.year - 1,
                                        assessment__unit__path__startswith=year.scope.path)
    return sum(1 for plan in pending if remedy_plan_transfer(plan=plan) is not None)
