"""Rules for the history page of an assessment: whoever sees the assessment reads its history."""

from . import Rule, logged_in

RULES = {
    "assessment_history": Rule(args=lambda w: [w.assessment_a.pk],
                               expect=logged_in(200, officer_b=404, other_appraiser=404)),
}
