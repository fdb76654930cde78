"""The appraisal side: queue, sheet and its buttons, explanation, lock exceptions, reopen, year pages.
Appraisal pages are for appraisers, viewers and administrators over the commune (officer_a: 403 on
their own commune); the explanation page is the commune's, readable by its appraisers too."""

from . import Rule, logged_in


def _a(w):
    return [w.assessment_a.pk]


def _year(w):
    return [w.year.pk]


def _assignment(w):
    from parindex.models import AppraisalAssignment

    area = w.year.criteria_set.items.filter(parent__isnull=True).order_by("sort_key").first()
    assignment, _ = AppraisalAssignment.objects.get_or_create(year=w.year, item=area,
                                                              defaults={"appraiser": w.appraiser})
    return [w.year.pk, assignment.pk]


RULES = {
    "appraisal_queue": Rule(expect=logged_in(200, officer_a=403, officer_b=403)),
    "appraisal_sheet": Rule(args=_a, expect=logged_in(200, officer_a=403, officer_b=404, other_appraiser=404)),
    # assessment_a is a draft: the service refuses and the view redirects back with the reason.
    "appraisal_transition": Rule(
        args=lambda w: [w.assessment_a.pk, "start_appraisal"], method="post",
        expect=logged_in("redirect", officer_a=403, officer_b=404, other_appraiser=404),
    ),
    "lock_exception_grant": Rule(args=_a, expect=logged_in(403, officer_b=404, other_appraiser=404, admin=200)),
    "assessment_reopen": Rule(args=_a, expect=logged_in(403, officer_b=404, other_appraiser=404, admin=200)),
    "explanation_sheet": Rule(args=_a, expect=logged_in(200, officer_b=404, other_appraiser=404)),
    "year_progress": Rule(args=_year, expect=logged_in(200, officer_a=403, officer_b=403)),
    # Before publication the ranking is for the appraisal side only.
    "results_ranking": Rule(args=_year, expect=logged_in(200, officer_a=403, officer_b=403)),
    "results_publish": Rule(args=_year, expect=logged_in(403, admin=200)),
    # Assignments are the coordinator's (an appraiser or administrator over the whole province);
    # a district appraiser is not one. Department appraisers: tests/parindex/test_assignment_pages.py.
    "assignment_list": Rule(args=_year, expect=logged_in(403, admin=200)),
    "assignment_remove": Rule(args=_assignment, method="post", expect=logged_in(403, admin="redirect")),
    "council_decision": Rule(args=_year, expect=logged_in(403, admin=200)),
    # No file recorded in the matrix's world: the appraisal side gets 404, communes 403 (unpublished).
    "council_file": Rule(args=lambda w: [w.year.pk, "quyet-dinh"],
                         expect=logged_in(404, officer_a=403, officer_b=403)),
    "appraisal_progress": Rule(args=_year, expect=logged_in(200, officer_a=403, officer_b=403)),
}
