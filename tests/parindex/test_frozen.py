"""Frozen means frozen (issue 15, finding 6): once an assessment is approved or published, and once a
year is published, no write path changes them — not the pages, not the admin (even for a superuser),
not the services called directly, not the management commands. Only the reopen transition (for an
approved assessment) opens them again.

Each path is tried on a published assessment of a published year, and the whole yearly record
(assessment, scores, evidence, plan tasks, documents, meetings, figures, events, the year) must be
byte-for-byte the same afterwards. The control tests send the same requests to an assessment that is
still being drafted and see them change it, so the requests themselves are not the reason nothing
changes."""

import datetime as dt
import io
import json

import pytest
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from parindex.errors import ParIndexError
from parindex.models import (
    ApprovalEvent,
    Assessment,
    AssessmentStatus,
    Document,
    EvaluationYear,
    Evidence,
    EvidenceFile,
    LockException,
    Meeting,
    PlanTask,
    Score,
    ServiceFigures,
)
from parindex.services import appraisal, evidence, explanation, plan, scores, workflow
from parindex.services.years import evaluation_year_open
from tests.factories import (
    DocumentFactory,
    MeetingFactory,
    PlanTaskFactory,
    ServiceFiguresFactory,
    UserFactory,
)

from .workflow_states import drive

S = AssessmentStatus
REFUSALS = (ParIndexError, ValidationError, PermissionDenied)


def snapshot(assessment, with_year=True):
    """Everything that belongs to the assessment (and its year), serialized."""
    querysets = [
        Assessment.objects.filter(pk=assessment.pk),
        EvaluationYear.objects.filter(pk=assessment.year_id if with_year else None),
        Score.objects.filter(assessment=assessment),
        Evidence.objects.filter(score__assessment=assessment),
        EvidenceFile.objects.filter(assessment=assessment),
        Document.objects.filter(assessment=assessment),
        PlanTask.objects.filter(assessment=assessment),
        Meeting.objects.filter(assessment=assessment),
        ServiceFigures.objects.filter(assessment=assessment),
        ApprovalEvent.objects.filter(assessment=assessment),
        LockException.objects.filter(assessment=assessment),
    ]
    rows = [json.loads(serializers.serialize("json", qs.order_by("pk"))) for qs in querysets]
    files = sorted(d.file.name for d in Document.objects.filter(assessment=assessment) if d.file)
    return rows, [(name, Document.objects.first().file.storage.exists(name)) for name in files]


def yearly_data(assessment):
    task = PlanTaskFactory(assessment=assessment, content="Nhiệm vụ đã có")
    document = DocumentFactory(assessment=assessment, file=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 qd"))
    meeting = MeetingFactory(assessment=assessment)
    ServiceFiguresFactory(assessment=assessment)
    Evidence.objects.create(score=Score.objects.filter(assessment=assessment).last(), document=document)
    return task, document, meeting


@pytest.fixture
def published(world):
    """A published year whose only assessment (Ba Thành) is published, with its yearly data."""
    world.assessment_b.delete()
    world.assessment_c.delete()
    task, document, meeting = yearly_data(world.assessment_a)
    a = drive(world.assessment_a, S.PUBLISHED, officer=world.officer_a, appraiser=world.appraiser,
              admin=world.admin)
    world.year.refresh_from_db()
    assert a.status == S.PUBLISHED and world.year.is_published
    return a, task, document, meeting


@pytest.fixture
def approved(world):
    task, document, meeting = yearly_data(world.assessment_a)
    a = drive(world.assessment_a, S.APPROVED, officer=world.officer_a, appraiser=world.appraiser)
    return a, task, document, meeting


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def future():
    return timezone.localtime(timezone.now() + dt.timedelta(days=10)).strftime("%d/%m/%Y %H:%M")


def xlsx_tasks():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(plan.IMPORT_COLUMNS)
    sheet.append([1, "Nhiệm vụ nhập từ Excel", "", "Văn phòng", "", "Chưa thực hiện", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def form_data(a, task, document, meeting):
    """Plausible data for every form of the commune's and the appraiser's pages."""
    score_ids = list(Score.objects.filter(assessment=a).values_list("pk", flat=True))
    data = {
        "version": a.version, "plan_number": "99/KH-UBND", "plan_date": "01/02/2024",
        "order": "9", "content": "Nhiệm vụ mới", "status": "not_started", "lead": "Văn phòng",
        "kind": "conference", "held_on": "01/03/2024", "title": "Hội nghị mới",
        "doc_type": "QĐ", "number_symbol": "77/QĐ-UBND", "issued_on": "01/03/2024", "issuer": "UBND xã",
        "summary": "Trích yếu mới", "dossiers_received": "10", "dossiers_online": "5",
        "strengths": "Đổi mặt tích cực", "weaknesses": "Đổi hạn chế", "proposals": "Đổi kiến nghị",
        "comment": "Ghi chú", "reason": "Lý do", "until": future(), "stage": "self_assessment",
        "to_status": "draft", "decision_number": "1/QĐ-UBND", "decision_date": "01/01/2025",
        "bonus_points": "1", "penalty_points": "1", "replace": "on", "submit": "resubmit",
    }
    for pk in score_ids:
        data.update({f"s-{pk}-score": "0", f"s-{pk}-note": "Đổi", f"s-{pk}-present": "1",
                     f"s-{pk}-appraised_score": "0", f"s-{pk}-flagged": "on", f"s-{pk}-flag_comment": "Đổi",
                     f"s-{pk}-round2_score": "0", f"s-{pk}-explanation": "Đổi"})
    return data


def write_requests(world, a, task, document, meeting):
    """(persona, url name, args, extra data) of every page that writes yearly data or the workflow."""
    rows = [
        ("officer_a", "score_sheet", [a.pk]), ("officer_a", "score_sheet_submit", [a.pk]),
        ("officer_a", "score_sheet_withdraw", [a.pk]), ("leader_a", "score_sheet_leader_approve", [a.pk]),
        ("officer_a", "plan_detail", [a.pk]), ("officer_a", "plan_task_create", [a.pk]),
        ("officer_a", "plan_tasks_import", [a.pk]), ("officer_a", "plan_task_edit", [task.pk]),
        ("officer_a", "plan_task_delete", [task.pk]), ("officer_a", "document_create", [a.pk]),
        ("officer_a", "document_edit", [document.pk]), ("officer_a", "document_delete", [document.pk]),
        ("officer_a", "meeting_create", [a.pk]), ("officer_a", "meeting_edit", [meeting.pk]),
        ("officer_a", "meeting_delete", [meeting.pk]), ("officer_a", "service_figures_edit", [a.pk]),
        ("officer_a", "narrative_edit", [a.pk]), ("officer_a", "explanation_sheet", [a.pk]),
        ("appraiser", "appraisal_sheet", [a.pk]), ("appraiser", "appraisal_queue", []),
        ("admin", "lock_exception_grant", [a.pk]), ("admin", "assessment_reopen", [a.pk]),
        ("admin", "results_publish", [a.year_id]),
    ]
    rows += [("appraiser", "appraisal_transition", [a.pk, action])
             for action in ("start_appraisal", "return_for_explanation", "resubmit", "complete_appraisal",
                            "approve", "publish", "submit", "withdraw")]
    return rows


def post_everything(client, world, a, task, document, meeting):
    data = form_data(a, task, document, meeting)
    for persona, name, args in write_requests(world, a, task, document, meeting):
        client.force_login(getattr(world, persona))
        extra = {"action": "approve", "ids": [a.pk]} if name == "appraisal_queue" else {}
        if name == "plan_tasks_import":
            extra = {"file": SimpleUploadedFile("nv.xlsx", xlsx_tasks())}
        if name == "document_create":
            extra = {"upload": SimpleUploadedFile("moi.pdf", b"%PDF-1.4 moi")}
        response = client.post(reverse(name, args=args), {**data, **extra})
        assert response.status_code < 500, (name, response.status_code)


def test_no_page_changes_a_published_assessment_or_year(client, world, published):
    a, task, document, meeting = published
    before = snapshot(a)
    post_everything(client, world, a, task, document, meeting)
    assert snapshot(a) == before


def test_the_same_requests_do_change_an_assessment_being_drafted(client, world):
    """Control: the requests above are good enough to change what is not frozen."""
    task, document, meeting = yearly_data(world.assessment_a)
    a = world.assessment_a
    before = snapshot(a)
    data = form_data(a, task, document, meeting)
    client.force_login(world.officer_a)
    for name, args in (("narrative_edit", [a.pk]), ("meeting_create", [a.pk]), ("plan_detail", [a.pk]),
                       ("plan_task_create", [a.pk]), ("service_figures_edit", [a.pk])):
        client.post(reverse(name, args=args), data)
    a.refresh_from_db()
    assert a.strengths == "Đổi mặt tích cực" and a.plan_number == "99/KH-UBND"
    assert Meeting.objects.filter(assessment=a, title="Hội nghị mới").exists()
    assert PlanTask.objects.filter(assessment=a, content="Nhiệm vụ mới").exists()
    assert ServiceFigures.objects.get(assessment=a).dossiers_received == 10
    assert snapshot(a) != before


def refused_in_bulk(outcomes):
    """The bulk service reports each commune's refusal instead of raising: turn it into one."""
    if any(outcome.ok for outcome in outcomes):
        return outcomes
    raise ParIndexError("refused")


def service_calls(world, a, task, document, meeting):
    officer, appraiser, admin = world.officer_a, world.appraiser, world.admin
    score = Score.objects.filter(assessment=a).first()
    link = Evidence.objects.filter(score__assessment=a).first()
    return {
        "plan_decision_update": lambda: plan.plan_decision_update(
            assessment=a, actor=officer, plan_number="99/KH-UBND", plan_date=dt.date(2024, 2, 1)),
        "plan_task_create": lambda: plan.plan_task_create(assessment=a, actor=officer, content="Mới"),
        "plan_task_update": lambda: plan.plan_task_update(task=task, actor=officer, content="Đổi"),
        "plan_task_delete": lambda: plan.plan_task_delete(task=task, actor=officer),
        "plan_tasks_import": lambda: plan.plan_tasks_import(
            assessment=a, actor=officer, uploaded_file=SimpleUploadedFile("nv.xlsx", xlsx_tasks()), replace=True),
        "document_create": lambda: plan.document_create(
            assessment=a, actor=officer, doc_type="QĐ", number_symbol="78/QĐ-UBND", issued_on=dt.date(2024, 3, 1),
            summary="Mới"),
        "document_update": lambda: plan.document_update(document=document, actor=officer, summary="Đổi"),
        "document_delete": lambda: plan.document_delete(document=document, actor=officer),
        "meeting_create": lambda: plan.meeting_create(
            assessment=a, actor=officer, kind="conference", held_on=dt.date(2024, 3, 1), title="Mới"),
        "meeting_update": lambda: plan.meeting_update(meeting=meeting, actor=officer, title="Đổi"),
        "meeting_delete": lambda: plan.meeting_delete(meeting=meeting, actor=officer),
        "service_figures_save": lambda: plan.service_figures_save(assessment=a, actor=officer, dossiers_received=1),
        "narrative_save": lambda: plan.narrative_save(assessment=a, actor=officer, strengths="Đổi", weaknesses="",
                                                      proposals=""),
        "score_sheet_save": lambda: scores.score_sheet_save(
            assessment=a, actor=officer, values={score.pk: {"self_score": "0", "note": "Đổi"}}),
        "appraisal_sheet_save": lambda: appraisal.appraisal_sheet_save(
            assessment=a, actor=appraiser, values={"scores": {score.pk: {"appraised_score": "0"}},
                                                   "bonus_points": "1"}, expected_version=a.version),
        "appraisal_bulk_apply": lambda: refused_in_bulk(appraisal.appraisal_bulk_apply(
            actor=appraiser, assessments=[a], action="approve")),
        "explanation_save": lambda: explanation.explanation_save(
            assessment=a, actor=officer, values={score.pk: {"explanation": "Đổi"}}),
        "evidence_file_store": lambda: evidence.evidence_file_store(
            assessment=a, uploaded_file=SimpleUploadedFile("bs.pdf", b"%PDF-1.4 bs"), actor=officer),
        "evidence_link_add": lambda: evidence.evidence_link_add(score=score, actor=officer, document=document),
        "evidence_link_remove": lambda: evidence.evidence_link_remove(evidence=link, actor=officer),
        "reopen": lambda: workflow.assessment_reopen(assessment=a, actor=admin, reason="Sửa"),
        "publish_again": lambda: workflow.results_publish(
            year=a.year, actor=admin, decision_number="2/QĐ-UBND", decision_date=dt.date(2025, 3, 1)),
        "lock_exception_grant": lambda: workflow.lock_exception_grant(
            assessment=a, actor=admin, stage="self_assessment", until=timezone.now() + dt.timedelta(days=3),
            reason="Gia hạn"),
        "evaluation_year_open": lambda: evaluation_year_open(year=a.year),
        **{f"transition_{name}": (lambda fn=fn, actor=actor: fn(assessment=a, actor=actor)) for name, fn, actor in (
            ("submit", workflow.assessment_submit, officer), ("withdraw", workflow.assessment_withdraw, officer),
            ("start", workflow.assessment_start_appraisal, appraiser),
            ("return", workflow.assessment_return_for_explanation, appraiser),
            ("resubmit", workflow.assessment_resubmit, officer),
            ("complete", workflow.assessment_complete_appraisal, appraiser),
            ("approve", workflow.assessment_approve, appraiser),
            ("leader_approve", workflow.assessment_leader_approve, world.leader_a))},
    }


def test_every_service_refuses_to_change_a_published_assessment_or_year(world, published):
    a, task, document, meeting = published
    before = snapshot(a)
    calls = service_calls(world, a, task, document, meeting)
    accepted = []
    for name, call in calls.items():
        try:
            call()
        except REFUSALS:
            pass
        else:
            accepted.append(name)
    assert accepted == [] and snapshot(a) == before


def test_every_service_but_reopen_refuses_to_change_an_approved_assessment(world, approved):
    a, task, document, meeting = approved
    before = snapshot(a)
    calls = service_calls(world, a, task, document, meeting)
    allowed = {"reopen", "publish_again", "lock_exception_grant", "evaluation_year_open", "appraisal_bulk_apply"}
    accepted = []
    for name, call in calls.items():
        if name in allowed:
            continue
        try:
            call()
        except REFUSALS:
            pass
        else:
            accepted.append(name)
    assert accepted == [] and snapshot(a) == before
    # ... and the reopen transition does open it again.
    a = workflow.assessment_reopen(assessment=a, actor=world.admin, reason="Sai số liệu dịch vụ công")
    plan.service_figures_save(assessment=a, actor=world.officer_a, dossiers_received=2000)
    assert ServiceFigures.objects.get(assessment=a).dossiers_received == 2000


# --- The admin ----------------------------------------------------------------------------------

def admin_attempts(client, a, task, document, meeting, delete=True):
    year = a.year
    change = reverse("admin:parindex_assessment_change", args=[a.pk])
    client.post(change, {"strengths": "Sửa trong admin", "plan_number": "1/KH-UBND", "is_illustrative": "",
                         "item_scores_basis": "items",
                         "scores-TOTAL_FORMS": 0, "scores-INITIAL_FORMS": 0,
                         "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0})
    if delete:
        client.post(reverse("admin:parindex_assessment_delete", args=[a.pk]), {"post": "yes"})
        client.post(reverse("admin:parindex_assessment_changelist"), {
            "action": "delete_selected", "_selected_action": [a.pk], "post": "yes"})
    for model, obj, data in (
        ("plantask", task, {"assessment": a.pk, "order": 1, "content": "Sửa", "status": "not_started"}),
        ("meeting", meeting, {"assessment": a.pk, "kind": "conference", "held_on": "01/03/2024", "title": "Sửa"}),
        ("document", document, {"assessment": a.pk, "doc_type": "QĐ", "number_symbol": "5/QĐ-UBND",
                                "issued_on": "01/03/2024", "issuer": "UBND xã", "summary": "Sửa"}),
    ):
        client.post(reverse(f"admin:parindex_{model}_change", args=[obj.pk]), data)
        client.post(reverse(f"admin:parindex_{model}_add"), data)
        if delete:
            client.post(reverse(f"admin:parindex_{model}_changelist"), {
                "action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    client.post(reverse("admin:parindex_servicefigures_change", args=[a.service_figures.pk]), {
        "assessment": a.pk, "dossiers_received": "1"})
    for model in ("score", "evidence", "evidencefile", "approvalevent") if delete else ():
        ids = list(getattr(__import__("parindex.models", fromlist=["x"]), {
            "score": "Score", "evidence": "Evidence", "evidencefile": "EvidenceFile",
            "approvalevent": "ApprovalEvent"}[model]).objects.values_list("pk", flat=True))
        client.post(reverse(f"admin:parindex_{model}_changelist"), {
            "action": "delete_selected", "_selected_action": ids, "post": "yes"})
    client.post(reverse("admin:parindex_evaluationyear_change", args=[year.pk]), {
        "year": year.year, "scope": year.scope_id, "criteria_set": year.criteria_set_id, "theme": "Sửa",
        "ranking_scope": year.ranking_scope, "online_filing_threshold": "90",
        "self_assessment_deadline_0": "31/12/2030", "self_assessment_deadline_1": "10:00",
        "publication_decision_number": "99/QĐ-UBND", "publication_decision_date": "01/01/2030"})
    if delete:
        client.post(reverse("admin:parindex_evaluationyear_delete", args=[year.pk]), {"post": "yes"})
    client.post(reverse("admin:parindex_lockexception_add"), {
        "assessment": a.pk, "stage": "self_assessment", "until_0": "31/12/2030", "until_1": "10:00",
        "reason": "Gia hạn"})


def test_the_admin_changes_nothing_of_a_published_assessment_or_year_even_for_a_superuser(
        client, world, published, root):
    a, task, document, meeting = published
    before = snapshot(a)
    for user in (root, world.admin):
        client.force_login(user)
        admin_attempts(client, a, task, document, meeting)
    assert snapshot(a) == before


def test_the_admin_changes_nothing_of_an_approved_assessment(client, world, approved, root):
    a, task, document, meeting = approved
    before = snapshot(a, with_year=False)  # the year is not published: its settings may change
    client.force_login(root)
    admin_attempts(client, a, task, document, meeting)
    assert snapshot(a, with_year=False) == before


def test_the_admin_still_edits_an_assessment_being_drafted(client, world, root):
    """Control for the admin attempts: on a draft they do go through."""
    task, document, meeting = yearly_data(world.assessment_a)
    client.force_login(root)
    admin_attempts(client, world.assessment_a, task, document, meeting, delete=False)
    assert Assessment.objects.get(pk=world.assessment_a.pk).strengths == "Sửa trong admin"
    assert EvaluationYear.objects.get(pk=world.year.pk).theme == "Sửa"


def test_the_publication_decision_is_never_typed_in_the_admin(client, world, root):
    """The decision's number and date are written by the publish transition only."""
    client.force_login(root)
    html = client.get(reverse("admin:parindex_evaluationyear_change", args=[world.year.pk])).content.decode()
    assert 'name="publication_decision_number"' not in html


# --- Management commands ------------------------------------------------------------------------

def test_refreshing_the_demo_dates_leaves_a_published_demo_year_alone(db):
    call_command("load_demo", stdout=io.StringIO())
    year = EvaluationYear.objects.get(year=2024, scope__code="51")
    EvaluationYear.objects.filter(pk=year.pk).update(published_at=timezone.now())
    before = EvaluationYear.objects.get(pk=year.pk).self_assessment_deadline
    out = io.StringIO()
    call_command("load_demo", "--refresh-dates", stdout=out)
    assert EvaluationYear.objects.get(pk=year.pk).self_assessment_deadline == before
    assert "đã công bố" in out.getvalue()


def test_reimporting_the_criteria_of_a_published_year_is_refused(world, published, tmp_path):
    from django.core.management.base import CommandError

    from parindex.services.criteria import criteria_set_export

    path = tmp_path / "set.yaml"
    with path.open("wb") as out:
        criteria_set_export(criteria_set=a_set(published), destination=out, fmt="yaml")
    before = snapshot(published[0])
    items = list(a_set(published).items.values_list("pk", "name", "max_points"))
    with pytest.raises(CommandError):
        call_command("import_criteria", str(path), "--replace", stderr=io.StringIO())
    assert list(a_set(published).items.values_list("pk", "name", "max_points")) == items
    assert snapshot(published[0]) == before


def a_set(published):
    return published[0].year.criteria_set


# --- Pages added after the first freeze: report texts and issuing, the council, assignments, remedy ---
#
# Which of them must stay writable after publication comes from the domain (shared docs, domain.md §3):
# - the commune writes its report and its remedy plan *after* the results (step 6: "The commune writes
#   its report (the seed) and a remedy plan for weak items"), so the report's wording, its issuing
#   (number, date, signed PDF) and the remedy plan are allowed on a published assessment; what they
#   must never touch is the published result itself (scores, totals, events, the year), and once the
#   report is issued its wording and file are frozen as signed;
# - the council's review and UBND tỉnh's ranking decision come *before* publication, which cites them,
#   and the assignments say who appraised what: after publication both are part of the published
#   record and are refused.

def result_snapshot(assessment):
    """The published result: everything in snapshot() but the assessment's report number and date,
    which issuing the report (after publication, by nature) records."""
    rows, files = snapshot(assessment)
    for row in rows[0]:
        row["fields"].pop("report_number", None)
        row["fields"].pop("report_date", None)
    return rows, files


def council_and_assignments(year):
    from parindex.models import AppraisalAssignment, CouncilDecision

    return [json.loads(serializers.serialize("json", qs.order_by("pk"))) for qs in (
        CouncilDecision.objects.filter(year=year), AppraisalAssignment.objects.filter(year=year))]


@pytest.fixture
def recorded(world, published):
    """Before publication the coordinator recorded the council and assigned area 1 (written directly: the
    services now refuse both on a published year, which is what is tested)."""
    from parindex.models import AppraisalAssignment, CouncilDecision, Item

    year = world.year
    CouncilDecision.objects.create(year=year, review_date=dt.date(2025, 2, 5), decision_number="125/QĐ-UBND",
                                   decision_date=dt.date(2025, 2, 10), recorded_by=world.admin)
    area = Item.objects.filter(criteria_set_id=year.criteria_set_id, level="area").order_by("sort_key").first()
    assignment = AppraisalAssignment.objects.create(year=year, item=area, appraiser=world.appraiser,
                                                    assigned_by=world.admin)
    return published, area, assignment


def test_the_council_and_assignment_pages_change_nothing_of_a_published_year(client, world, recorded):
    (a, *_), area, assignment = recorded
    before, record_before = snapshot(a), council_and_assignments(world.year)
    client.force_login(world.admin)  # the coordinator: province administrator over the year's scope
    response = client.post(reverse("council_decision", args=[world.year.pk]), {
        "review_date": "2025-02-06", "members_present": "Người khác", "decision_number": "126/QĐ-UBND",
        "decision_date": "11/02/2025"})
    assert "đã được công bố" in response.content.decode()
    response = client.post(reverse("assignment_list", args=[world.year.pk]), {
        "item": area.pk, "appraiser": world.other_appraiser.pk})
    assert response.status_code < 500
    response = client.post(reverse("assignment_remove", args=[world.year.pk, assignment.pk]), follow=True)
    assert "đã được công bố" in response.content.decode()
    assert snapshot(a) == before and council_and_assignments(world.year) == record_before


def test_the_council_and_assignment_services_refuse_a_published_year(world, recorded):
    from parindex.services.assignments import assignment_delete, assignment_save
    from parindex.services.council import council_decision_record

    (a, *_), area, assignment = recorded
    before, record_before = snapshot(a), council_and_assignments(world.year)
    year = EvaluationYear.objects.get(pk=world.year.pk)
    for call in (
        lambda: council_decision_record(year=year, actor=world.admin, review_date=dt.date(2025, 2, 6)),
        lambda: assignment_save(year=year, actor=world.admin, item=area, appraiser=world.other_appraiser),
        lambda: assignment_delete(assignment=assignment, actor=world.admin),
    ):
        with pytest.raises(ParIndexError, match="đã được công bố"):
            call()
    assert snapshot(a) == before and council_and_assignments(world.year) == record_before


def test_the_council_and_assignment_pages_do_write_before_publication(client, world):
    """Control: the same requests change a year not yet published."""
    from parindex.models import AppraisalAssignment, CouncilDecision, Item

    area = Item.objects.filter(criteria_set_id=world.year.criteria_set_id, level="area").order_by("sort_key").first()
    client.force_login(world.admin)
    client.post(reverse("council_decision", args=[world.year.pk]), {
        "review_date": "2025-02-06", "members_present": "Người khác", "decision_number": "126/QĐ-UBND",
        "decision_date": "11/02/2025"})
    client.post(reverse("assignment_list", args=[world.year.pk]), {"item": area.pk, "appraiser": world.appraiser.pk})
    assert CouncilDecision.objects.get(year=world.year).decision_number == "126/QĐ-UBND"
    assert AppraisalAssignment.objects.filter(year=world.year, item=area, appraiser=world.appraiser).exists()


def test_the_report_is_written_and_issued_after_publication_and_the_result_stays_frozen(
        client, world, published, settings):
    """The report comes after the result (domain §3 step 6): its wording and issuing work on a published
    assessment, never touch the published result, and once issued the report is frozen as signed."""
    from reports.body_texts import KEYS, report_body_texts
    from reports.models import IssuedReport
    from tests.reports.signing import plain_pdf

    settings.REPORT_ACCEPT_UNSIGNED = True
    a, *_ = published
    before = result_snapshot(a)
    client.force_login(world.officer_a)
    texts = {key: f"Lời văn mới của xã ({key})." for key in KEYS}
    client.post(reverse("report_texts_edit", args=[a.pk]), texts)
    assert report_body_texts(assessment=a)[KEYS[0]] == texts[KEYS[0]]
    response = client.post(reverse("report_issue", args=[a.pk]), {
        "number": "12", "issued_on": "2025-03-10",
        "signed_pdf": SimpleUploadedFile("bao-cao.pdf", plain_pdf(), content_type="application/pdf")})
    assert response.status_code < 500
    issued = IssuedReport.objects.get(assessment=a)
    assert issued.number == "12/BC-UBND"
    assert result_snapshot(a) == before

    # Issued: the wording and the signed file stay as signed.
    client.post(reverse("report_texts_edit", args=[a.pk]), {key: "Sửa sau khi ban hành" for key in KEYS})
    client.post(reverse("report_issue", args=[a.pk]), {
        "number": "13", "issued_on": "2025-03-11",
        "signed_pdf": SimpleUploadedFile("khac.pdf", plain_pdf("khác"), content_type="application/pdf")})
    assert report_body_texts(assessment=a)[KEYS[0]] == texts[KEYS[0]]
    assert IssuedReport.objects.get(assessment=a).sha256 == issued.sha256
    assert result_snapshot(a) == before


def test_the_remedy_plan_is_made_after_publication_and_the_result_stays_frozen(client, world, published):
    """The remedy plan is by nature written after the result (domain §3 step 6): every step of it works
    on a published assessment, and the published scores, events and year do not move."""
    from parindex.models import RemedyLine, RemedyPlan, RemedyPlanStatus

    a, *_ = published
    before = snapshot(a)
    client.force_login(world.officer_a)
    client.post(reverse("remedy_plan_create", args=[a.pk]))
    plan = RemedyPlan.objects.get(assessment=a)
    client.post(reverse("remedy_plan_header", args=[a.pk]), {"number": "12", "issued_on": "2025-03-01"})
    client.post(reverse("remedy_line_add", args=[a.pk]), {"content": "Nhiệm vụ khắc phục mới", "lead": "Văn phòng"})
    line = RemedyLine.objects.get(plan=plan, content="Nhiệm vụ khắc phục mới")
    client.post(reverse("remedy_line_edit", args=[line.pk]), {"content": "Đã sửa", "lead": "Văn phòng"})
    other = RemedyLine.objects.filter(plan=plan).exclude(pk=line.pk).first()
    if other is not None:
        client.post(reverse("remedy_line_delete", args=[other.pk]))
    client.post(reverse("remedy_plan_accept", args=[a.pk]))
    plan.refresh_from_db()
    assert plan.number == "12" and plan.status == RemedyPlanStatus.ACCEPTED
    assert RemedyLine.objects.get(pk=line.pk).content == "Đã sửa"
    assert snapshot(a) == before


def test_the_admin_has_no_write_path_to_the_report_council_assignment_or_remedy_records():
    """None of these is registered in the admin, so the admin cannot change them on published data.
    Registering one needs the freeze rules of the pages above (this test then fails as a reminder)."""
    from django.contrib import admin

    from parindex.models import AppraisalAssignment, CouncilDecision, RemedyLine, RemedyPlan
    from reports.models import IssuedReport, ReportText

    for model in (ReportText, IssuedReport, CouncilDecision, AppraisalAssignment, RemedyPlan, RemedyLine):
        assert not admin.site.is_registered(model), model.__name__
