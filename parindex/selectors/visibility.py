"""The one visibility rule for assessments, used by every list, page, report, job and export."""

from django.db.models import Q
from django.http import Http404

from communes.selectors import unit_subtree_q, units_visible_to
from parindex.models import Assessment, EvaluationYear

from .assignments import assigned_assessments_q, assignments_of


def assessments_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return Assessment.objects.none()
    qs = Assessment.objects.select_related("year", "year__criteria_set", "unit", "unit__parent")
    if user.is_superuser:
        return qs
    # Department appraisers hold no commune in their subtree: they see the communes assigned to them.
    return qs.filter(unit_subtree_q(user) | assigned_assessments_q(user))


def assessment_get_visible(user, pk):
    """The assessment if the user may see it; 404 otherwise (never reveal that it exists)."""
    try:
        return assessments_visible_to(user).get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy bản đánh giá") from None


def years_visible_to(user):
    """Years whose scope contains something the user sees (a commune officer sees their province's year)."""
    if not getattr(user, "is_authenticated", False):
        return EvaluationYear.objects.none()
    if user.is_superuser:
        return EvaluationYear.objects.select_related("scope", "criteria_set")
    visible_units = units_visible_to(user)
    assigned_years = {g.year_id for g in assignments_of(user)}
    return (
        EvaluationYear.objects.filter(Q(assessments__unit__in=visible_units) | Q(pk__in=assigned_years))
        .select_related("scope", "criteria_set")
        .distinct()
    )


def year_get_visible(user, pk):
    """The evaluation year if the user sees something of it; 404 otherwise."""
    try:
        return years_visible_to(user).get(pk=pk)
    except (ValueError, TypeError, EvaluationYear.DoesNotExist):
        raise Http404("Không tìm thấy kỳ đánh giá") from None
