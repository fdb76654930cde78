"""Rules for the per-item autosave endpoints (JSON). Anonymous gets 401 JSON, never a redirect to the
login page (the page must notice the expired session and keep what was typed). The world's
assessment A is a draft: the commune's officer saves (an unchanged value answers 200); appraisal and
explanation are locked in that state (409 with the reason) for those who hold the right."""

from . import Rule, same_for_all


def _a_score(w):
    return [w.assessment_a.pk, w.assessment_a.scores.order_by("id").first().pk]


UNCHANGED = {"version": "1", "self_score": "", "note": ""}

RULES = {
    "score_item_save": Rule(args=_a_score, method="post", data=UNCHANGED, expect=same_for_all(
        200, anonymous=401, officer_b=404, other_appraiser=404, appraiser=403, admin=403)),
    "appraisal_item_save": Rule(args=_a_score, method="post", data={"version": "1", "appraised_score": "1"},
                                expect=same_for_all(409, anonymous=401, officer_a=403, officer_b=404,
                                                 other_appraiser=404)),
    "explanation_item_save": Rule(args=_a_score, method="post", data={"version": "1", "explanation": "x"},
                                  expect=same_for_all(409, anonymous=401, officer_b=404, other_appraiser=404,
                                                   appraiser=403, admin=403)),
}
