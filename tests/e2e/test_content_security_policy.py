"""Every main page, as each persona, under the Content-Security-Policy: the header is there and the
browser reports no violation (no inline script, style or handler anywhere). Violations are caught
twice: the `securitypolicyviolation` events of the document, and Chromium's "Refused to …" console
messages. A control injects an inline style and expects it to be caught, so the listening works."""

import pytest
from django.urls import reverse

from parindex.models import CriteriaSet, Document, Meeting, PlanTask, Score

LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.sourceFile + ':' + e.lineNumber);
});
"""


def watch(persona):
    persona.csp_console = []
    persona.context.add_init_script(LISTEN)
    persona.page.on("console", lambda msg: persona.csp_console.append(msg.text)
                    if "Refused to" in msg.text or "Content Security Policy" in msg.text else None)
    return persona


def visit(persona, path):
    response = persona.goto(path)
    assert response is not None and response.status < 400, (path, response and response.status)
    assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), path
    persona.page.wait_for_load_state("load")
    violations = persona.page.evaluate("window.__cspViolations || []")
    return violations + [m for m in persona.csp_console if m not in violations]


def pages_for(demo, username):
    ba_thanh, ba_dong, year = demo.ba_thanh, demo.ba_dong, demo.year
    own = ba_thanh if username in ("canbo.bathanh", "lanhdao.bathanh") else ba_dong
    commune = [
        reverse("home"), reverse("score_sheet", args=[own.pk]), reverse("score_sheet_check", args=[own.pk]),
        reverse("plan_detail", args=[own.pk]), reverse("plan_task_create", args=[own.pk]),
        reverse("plan_tasks_import", args=[own.pk]), reverse("document_list", args=[own.pk]),
        reverse("document_create", args=[own.pk]), reverse("meeting_list", args=[own.pk]),
        reverse("meeting_create", args=[own.pk]), reverse("service_figures_edit", args=[own.pk]),
        reverse("narrative_edit", args=[own.pk]), reverse("assessment_history", args=[own.pk]),
        reverse("report_job_list"), reverse("password_change"), reverse("report_texts_edit", args=[own.pk]),
        reverse("report_issue", args=[own.pk]), reverse("score_sheet", args=[own.pk]) + "?view=grid",
        reverse("account"),
    ]
    task = PlanTask.objects.filter(assessment=own).first()
    meeting = Meeting.objects.filter(assessment=own).first()
    document = Document.objects.filter(assessment=own).first()
    score = Score.objects.filter(assessment=own).order_by("item__sort_key").first()
    commune += [reverse("score_history", args=[score.pk])]
    commune += [reverse("plan_task_edit", args=[task.pk])] if task else []
    commune += [reverse("meeting_edit", args=[meeting.pk])] if meeting else []
    commune += [reverse("document_edit", args=[document.pk])] if document else []
    appraisal = [
        reverse("home"), reverse("appraisal_queue"), reverse("appraisal_sheet", args=[ba_thanh.pk]),
        reverse("appraisal_sheet", args=[ba_dong.pk]), reverse("score_sheet", args=[ba_thanh.pk]),
        reverse("assessment_history", args=[ba_thanh.pk]), reverse("year_progress", args=[year.pk]),
        reverse("results_ranking", args=[year.pk]), reverse("report_job_list"),
        reverse("appraisal_sheet", args=[ba_thanh.pk]) + "?view=grid", reverse("account"),
    ]
    criteria_set = CriteriaSet.objects.first()
    admin = appraisal + [
        reverse("results_publish", args=[year.pk]), reverse("assessment_reopen", args=[ba_thanh.pk]),
        reverse("lock_exception_grant", args=[ba_dong.pk]),
        reverse("admin:index"), reverse("admin:parindex_criteriaset_changelist"),
        reverse("admin:parindex_criteriaset_change", args=[criteria_set.pk]),
        reverse("admin:parindex_criteriaset_import"), reverse("admin:parindex_evaluationyear_change", args=[year.pk]),
        reverse("admin:parindex_item_changelist"), reverse("admin:communes_unit_changelist"),
        reverse("admin:auth_user_changelist"),
    ]
    return {"canbo.bathanh": commune, "lanhdao.bathanh": commune, "canbo.badong": commune,
            "thamdinh.bato": appraisal + [reverse("two_factor_enrol")], "xem.bato": appraisal, "quantri.quangngai": admin,
            "admin": admin + [reverse("admin:parindex_assessment_changelist")]}[username]


@pytest.mark.e2e
@pytest.mark.parametrize("username", ["canbo.bathanh", "lanhdao.bathanh", "canbo.badong", "thamdinh.bato",
                                      "xem.bato", "quantri.quangngai", "admin"])
def test_no_page_breaks_the_content_security_policy(demo, browse, username):
    journey = f"csp-{username.replace('.', '-')}"
    persona = watch(browse(journey, username))
    found = {}
    for n, path in enumerate(pages_for(demo, username)):
        violations = visit(persona, path)
        if violations:
            found[path] = violations
        if "lich-su" in path:
            persona.shot(f"{n:02d}-history")
    assert not found, found
    assert not persona.js_errors, persona.js_errors


@pytest.mark.e2e
def test_pages_before_login_keep_the_policy_and_a_violation_would_be_caught(demo, browser, live_server):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    persona = type("Anonymous", (), {})()
    persona.context, persona.page = context, page
    persona.goto = lambda path: page.goto(live_server.url + path)
    watch(persona)
    try:
        for path in (reverse("login"), reverse("password_reset"), reverse("admin:login")):
            assert visit(persona, path) == [], path
        # Control: an inline style attribute is refused and reported.
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__cspViolations.length") >= 1
    finally:
        context.close()
