"""Rules for the commune's self-assessment pages (score sheet, evidence, plan, documents, figures)."""

from . import Rule, logged_in


def _evidence_file_a(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parindex.services.evidence import evidence_file_store

    content = b"%PDF-1.4\n% bien ban\n%%EOF\n"
    return evidence_file_store(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=SimpleUploadedFile("bien-ban.pdf", content))


def _score_a(world):
    return world.assessment_a.scores.order_by("id").first()


def _task_a(world):
    from parindex.models import PlanTask

    task, _ = PlanTask.objects.get_or_create(assessment=world.assessment_a, order=1,
                                             defaults={"content": "Ban hành kế hoạch CCHC năm"})
    return task


def _document_a(world):
    import datetime as dt

    from django.core.files.base import ContentFile

    from parindex.models import Document

    document, created = Document.objects.get_or_create(
        assessment=world.assessment_a, number_symbol="193/QĐ-UBND", issued_on=dt.date(2023, 12, 29),
        defaults={"doc_type": "QĐ", "summary": "Ban hành Kế hoạch CCHC năm 2024"},
    )
    if created:
        document.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n% ke hoach\n%%EOF\n"))
        document.original_name = "ke-hoach.pdf"
        document.save()
    return document


def _meeting_a(world):
    import datetime as dt

    from parindex.models import Meeting

    meeting, _ = Meeting.objects.get_or_create(assessment=world.assessment_a, held_on=dt.date(2024, 7, 15),
                                               defaults={"kind": "conference", "title": "Sơ kết 6 tháng"})
    return meeting


def _a(world):
    return [world.assessment_a.pk]


# Pages every member of A's tree reads; outsiders get 404 (the visibility rule never reveals existence).
READ = logged_in(200, officer_b=404, other_appraiser=404)
# Pages that change the commune's data: its officers only; readers above the commune get 403.
EDIT = logged_in(200, officer_b=404, other_appraiser=404, appraiser=403, admin=403)
# Actions of the commune (POST only): a GET is refused by method for everyone signed in.
POST_ONLY = logged_in(405)

RULES = {
    "score_sheet": Rule(args=_a, expect=READ),
    "score_sheet_check": Rule(args=_a, expect=READ),
    "score_history": Rule(args=lambda w: [_score_a(w).pk], expect=READ),
    # The result page: readable by A's tree (before approval it says there is no result yet).
    "commune_result": Rule(args=_a, expect=READ),
    "score_sheet_submit": Rule(args=_a, expect=POST_ONLY),
    "score_sheet_withdraw": Rule(args=_a, expect=POST_ONLY),
    "score_sheet_leader_approve": Rule(args=_a, expect=POST_ONLY),
    "evidence_download": Rule(args=lambda w: [_evidence_file_a(w).pk], expect=READ),
    "plan_detail": Rule(args=_a, expect=READ),
    "plan_task_create": Rule(args=_a, expect=EDIT),
    "plan_task_edit": Rule(args=lambda w: [_task_a(w).pk], expect=EDIT),
    "plan_task_delete": Rule(args=lambda w: [_task_a(w).pk], expect=EDIT),
    "plan_tasks_import": Rule(args=_a, expect=EDIT),
    "plan_tasks_template": Rule(args=_a, expect=READ),
    "document_list": Rule(args=_a, expect=READ),
    "document_create": Rule(args=_a, expect=EDIT),
    "document_edit": Rule(args=lambda w: [_document_a(w).pk], expect=EDIT),
    "document_delete": Rule(args=lambda w: [_document_a(w).pk], expect=EDIT),
    "document_download": Rule(args=lambda w: [_document_a(w).pk], expect=READ),
    "meeting_list": Rule(args=_a, expect=READ),
    "meeting_create": Rule(args=_a, expect=EDIT),
    "meeting_edit": Rule(args=lambda w: [_meeting_a(w).pk], expect=EDIT),
    "meeting_delete": Rule(args=lambda w: [_meeting_a(w).pk], expect=EDIT),
    "service_figures_edit": Rule(args=_a, expect=READ),
    "narrative_edit": Rule(args=_a, expect=READ),
}
