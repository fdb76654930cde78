"""History of everything a commune or an appraiser changes (issue 15, finding 7): the narrative, the
plan decision, service figures, meetings, tasks (with import-with-replace and deletion), documents,
evidence files, bonus and penalty points — creations, edits and deletions, with the acting user — and
the history page, which whoever sees the assessment reads."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from parindex.models import Assessment, CriteriaSet, Document, EvidenceFile, Meeting, PlanTask, ServiceFigures
from parindex.services import evidence, plan
from parindex.services.appraisal import appraisal_sheet_save
from parindex.services.workflow import assessment_start_appraisal, assessment_submit
from tests.factories import fill_scores


def tasks_xlsx(*contents):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(plan.IMPORT_COLUMNS)
    for n, content in enumerate(contents, start=1):
        sheet.append([n, content, "", "Văn phòng", "", "Chưa thực hiện", "", ""])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("nhiem-vu.xlsx", out.getvalue())


def last(model, **filters):
    return model.history.filter(**filters).order_by("-history_date", "-history_id").first()


def test_the_narrative_and_the_plan_decision_are_recorded_with_the_officer(world):
    a = world.assessment_a
    plan.narrative_save(assessment=a, actor=world.officer_a, strengths="Tốt", weaknesses="", proposals="")
    plan.plan_decision_update(assessment=a, actor=world.officer_a, plan_number="12/KH-UBND",
                              plan_date=dt.date(2024, 1, 5))
    records = list(Assessment.history.filter(id=a.pk).order_by("history_date", "history_id"))
    assert [r.history_user for r in records[-2:]] == [world.officer_a, world.officer_a]
    assert records[-2].strengths == "Tốt" and records[-1].plan_number == "12/KH-UBND"
    delta = records[-1].diff_against(records[-2])
    assert {c.field for c in delta.changes} == {"plan_number", "plan_date"}


def test_tasks_meetings_figures_and_documents_keep_every_change_and_deletion_with_the_user(world):
    a, officer = world.assessment_a, world.officer_a
    task = plan.plan_task_create(assessment=a, actor=officer, content="Rà soát thủ tục")
    task_id = task.pk
    plan.plan_task_update(task=task, actor=officer, content="Rà soát thủ tục hành chính")
    plan.plan_task_delete(task=task, actor=officer)
    assert [r.history_type for r in PlanTask.history.filter(id=task_id).order_by("history_id")] == ["+", "~", "-"]
    assert last(PlanTask, id=task_id).history_user == officer

    meeting = plan.meeting_create(assessment=a, actor=officer, kind="conference", held_on=dt.date(2024, 3, 1),
                                  title="Hội nghị triển khai")
    meeting_id = meeting.pk
    plan.meeting_delete(meeting=meeting, actor=officer)
    assert last(Meeting, id=meeting_id).history_type == "-"
    assert last(Meeting, id=meeting_id).history_user == officer

    plan.service_figures_save(assessment=a, actor=officer, dossiers_received=100)
    plan.service_figures_save(assessment=a, actor=officer, dossiers_received=120)
    figures = ServiceFigures.objects.get(assessment=a)
    assert [r.dossiers_received for r in ServiceFigures.history.filter(id=figures.pk).order_by("history_id")] == [
        100, 120]

    document = plan.document_create(assessment=a, actor=officer, doc_type="QĐ", number_symbol="5/QĐ-UBND",
                                    issued_on=dt.date(2024, 2, 1), summary="Ban hành kế hoạch",
                                    upload=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 qd"))
    document_id = document.pk
    plan.document_delete(document=document, actor=officer)
    deleted = last(Document, id=document_id)
    assert deleted.history_type == "-" and deleted.history_user == officer and deleted.number_symbol == "5/QĐ-UBND"


def test_an_import_with_replace_records_each_removed_and_created_task(world):
    a, officer = world.assessment_a, world.officer_a
    plan.plan_tasks_import(assessment=a, actor=officer, uploaded_file=tasks_xlsx("Cũ 1", "Cũ 2"))
    old_ids = list(PlanTask.objects.filter(assessment=a).values_list("pk", flat=True))
    result = plan.plan_tasks_import(assessment=a, actor=officer, uploaded_file=tasks_xlsx("Mới"), replace=True)
    assert result.replaced == 2 and result.created == 1
    removed = PlanTask.history.filter(id__in=old_ids, history_type="-")
    assert removed.count() == 2 and {r.history_user for r in removed} == {officer}
    created = PlanTask.history.filter(assessment_id=a.pk, history_type="+", content="Mới").get()
    assert created.history_user == officer


def test_an_evidence_file_upload_and_removal_are_recorded(world):
    a = world.assessment_a
    stored = evidence.evidence_file_store(assessment=a, actor=world.officer_a,
                                          uploaded_file=SimpleUploadedFile("bb.pdf", b"%PDF-1.4 bb"))
    assert last(EvidenceFile, id=stored.pk).history_user == world.officer_a


@pytest.fixture
def in_appraisal(world):
    CriteriaSet.objects.filter(pk=world.year.criteria_set_id).update(bonus_cap=Decimal("2"))
    a = world.assessment_a
    fill_scores(a)
    a.refresh_from_db()
    a = assessment_submit(assessment=a, actor=world.officer_a)
    return assessment_start_appraisal(assessment=a, actor=world.appraiser)


def test_bonus_points_are_recorded_with_the_appraiser(world, in_appraisal):
    a = in_appraisal
    appraisal_sheet_save(assessment=a, actor=world.appraiser, values={"scores": {}, "bonus_points": "1,5"},
                         expected_version=a.version)
    record = last(Assessment, id=a.pk)
    assert record.bonus_points == Decimal("1.5") and record.history_user == world.appraiser
    a.refresh_from_db()
    # Saving the sheet again with the same bonus records nothing new.
    count = Assessment.history.filter(id=a.pk).count()
    appraisal_sheet_save(assessment=a, actor=world.appraiser, values={"scores": {}, "bonus_points": "1,5"},
                         expected_version=a.version)
    assert Assessment.history.filter(id=a.pk).count() == count


# --- The page -----------------------------------------------------------------------------------

def test_the_page_shows_who_changed_what_and_a_deletion(client, world):
    a = world.assessment_a
    client.force_login(world.officer_a)
    client.post(reverse("narrative_edit", args=[a.pk]), {"strengths": "Cũ", "weaknesses": "", "proposals": ""})
    client.post(reverse("narrative_edit", args=[a.pk]), {"strengths": "Mới hơn", "weaknesses": "", "proposals": ""})
    meeting = plan.meeting_create(assessment=a, actor=world.officer_a, kind="conference",
                                  held_on=dt.date(2024, 3, 1), title="Hội nghị triển khai")
    client.post(reverse("meeting_delete", args=[meeting.pk]))
    assert not Meeting.objects.filter(pk=meeting.pk).exists()

    client.force_login(world.appraiser)
    html = client.get(reverse("assessment_history", args=[a.pk])).content.decode()
    assert "Mặt tích cực" in html and "Cũ" in html and "Mới hơn" in html
    assert "officer_a" in html or world.officer_a.get_full_name() in html
    assert "Xóa" in html and "Hội nghị triển khai" in html
    assert html.index("Xóa") < html.index("Mới hơn")  # newest first


def test_commune_people_do_not_see_the_appraisal_side(client, world, in_appraisal):
    a = in_appraisal
    appraisal_sheet_save(assessment=a, actor=world.appraiser, values={"scores": {}, "bonus_points": "1,5"},
                         expected_version=a.version)
    client.force_login(world.appraiser)
    assert "Điểm thưởng" in client.get(reverse("assessment_history", args=[a.pk])).content.decode()
    client.force_login(world.officer_a)
    response = client.get(reverse("assessment_history", args=[a.pk]))
    assert response.status_code == 200 and "Điểm thưởng" not in response.content.decode()


def test_outsiders_get_404(client, world):
    client.force_login(world.officer_b)
    assert client.get(reverse("assessment_history", args=[world.assessment_a.pk])).status_code == 404


def test_the_score_sheet_links_to_the_history(client, world):
    client.force_login(world.officer_a)
    html = client.get(reverse("score_sheet", args=[world.assessment_a.pk])).content.decode()
    assert reverse("assessment_history", args=[world.assessment_a.pk]) in html
