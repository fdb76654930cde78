"""Rules for the remedy plan pages (Kế hoạch khắc phục): everyone who sees the assessment reads the
plan; only the commune's officers change it (outsiders never learn it exists: 404)."""

from . import Rule, logged_in


def _a(world):
    return [world.assessment_a.pk]


def _line_a(world):
    from parindex.models import RemedyLine, RemedyPlan

    plan, _ = RemedyPlan.objects.get_or_create(assessment=world.assessment_a)
    line, _ = RemedyLine.objects.get_or_create(plan=plan, order=1,
                                               defaults={"content": "Ban hành kế hoạch CCHC đúng hạn."})
    return [line.pk]


READ = logged_in(200, officer_b=404, other_appraiser=404)
EDIT = logged_in(200, officer_b=404, other_appraiser=404, appraiser=403, admin=403)
POST_ONLY = logged_in(405)

RULES = {
    "remedy_plan": Rule(args=_a, expect=READ),
    "remedy_plan_create": Rule(args=_a, expect=POST_ONLY),
    "remedy_plan_header": Rule(args=_a, expect=POST_ONLY),
    "remedy_line_add": Rule(args=_a, expect=POST_ONLY),
    "remedy_plan_accept": Rule(args=_a, expect=POST_ONLY),
    "remedy_line_edit": Rule(args=_line_a, expect=EDIT),
    "remedy_line_delete": Rule(args=_line_a, expect=POST_ONLY),
}
