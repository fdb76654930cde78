"""What the remedy plan page and its report read: the plan with its lines, and the assessment of the
year after (of the same commune, or of the commune it merged into) that accepted lines go to."""

from django.db.models import Prefetch

from parindex.models import Assessment, RemedyLine, RemedyPlan


def remedy_plan_of(*, assessment):
    """The assessment's plan with its lines (and each line's item and transferred task), or None."""
    lines = RemedyLine.objects.select_related("item", "plan_task").order_by("order", "id")
    return (
        RemedyPlan.objects.filter(assessment=assessment)
        .select_related("transferred_to", "transferred_to__year", "transferred_to__unit", "accepted_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .first()
    )


def next_year_assessment(*, assessment):
    """Year N+1's assessment of the commune, or of its successor when it merged (1/7/2025):
    the new commune carries the plan forward."""
    unit = assessment.unit
    candidates = Assessment.objects.filter(year__year=assessment.year.year + 1).select_related(
        "year", "year__criteria_set", "unit")
    return (candidates.filter(unit=unit).first()
            or candidates.filter(unit__predecessor_links__predecessor=unit).order_by("id").first())
