"""Everything changed on one assessment, newest first: the assessment's own fields (plan decision,
narrative, report particulars, bonus and penalty points), scores, evidence links and files, plan
tasks, documents, meetings and service figures — creations, edits and deletions, each with who and
when, read from django-simple-history's records and compared with `diff_against`.

The appraisal side (appraised scores, comments, flags, bonus and penalty points) is shown only to
those who see the appraisal (parindex.view_appraisal), as on the other pages."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from communes.models import Signatory
from parindex.models import (
    Assessment,
    Document,
    Evidence,
    EvidenceFile,
    Item,
    Meeting,
    PlanTask,
    Score,
    ServiceFigures,
)
from parindex.numbers import format_points

from .history import history_changes

ACTIONS = {"+": "Thêm", "~": "Sửa", "-": "Xóa"}
LIMIT = 1000

SELF_SCORE_FIELDS = ["self_score", "not_applicable", "self_note", "explanation"]
APPRAISAL_SCORE_FIELDS = ["appraised_score", "appraisal_comment", "flagged", "flag_comment", "round2_score",
                          "round2_comment"]
ASSESSMENT_FIELDS = ["plan_number", "plan_date", "documents_declared", "strengths", "weaknesses", "proposals", "report_request",
                     "report_request_subject", "report_number", "report_date", "report_addressee", "signatory",
                     "is_illustrative"]
APPRAISAL_ASSESSMENT_FIELDS = ["bonus_points", "penalty_points"]


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: object
    action: str
    what: str  # the kind of record, e.g. "Nhiệm vụ kế hoạch"
    label: str  # which one, e.g. "1.2" or "Hội nghị 12/03/2024: …"
    changes: list = field(default_factory=list)  # (field label, old text, new text)
    reason: str = ""


def _text(model, name, value, names):
    if value is None or value == "":
        return "(trống)"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, dt.datetime):
        return f"{value:%H:%M %d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    return str(value)


def _tracked_fields(model, skip=()):
    skip = {"id", "assessment", "updated_at", "updated_by", *skip}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip]


def _entries(model, records, fields, label_of, names):
    blank = model.history.model(**{f: model._meta.get_field(f).get_default() for f in fields})
    what = str(model._meta.verbose_name).capitalize()
    for record, changes in history_changes(records, fields=fields, blank=blank):
        rows = [(str(model._meta.get_field(c.field).verbose_name).capitalize(),
                 _text(model, c.field, c.old, names), _text(model, c.field, c.new, names)) for c in changes]
        if record.history_type == "~" and not rows:
            continue  # a save that changed nothing shown here (e.g. only the workflow's fields)
        if record.history_type == "-":
            rows = []
        yield HistoryEntry(at=record.history_date, user=record.history_user, action=ACTIONS[record.history_type],
                           what=what, label=label_of(record), changes=rows,
                           reason=record.history_change_reason or "")


def _records(model, **filters):
    return list(model.history.filter(**filters).select_related("history_user").order_by("history_date", "history_id"))


def assessment_history(*, assessment, appraisal_side, limit=LIMIT):
    """The assessment's changes, newest first, for someone who may see the assessment (the caller
    checked, with the visibility selector); the appraisal side only when `appraisal_side`."""
    items = dict(Item.objects.filter(criteria_set_id=assessment.year.criteria_set_id).values_list("pk", "code"))
    names = {(Item, pk): code for pk, code in items.items()}
    names.update({(Signatory, s.pk): str(s) for s in Signatory.objects.filter(unit_id=assessment.unit_id)})
    score_ids = list(Score.objects.filter(assessment=assessment).values_list("pk", flat=True))
    score_items = dict(Score.objects.filter(assessment=assessment).values_list("pk", "item_id"))

    def item_code(score_id):
        return items.get(score_items.get(score_id), "?")

    entries = []
    own = ASSESSMENT_FIELDS + (APPRAISAL_ASSESSMENT_FIELDS if appraisal_side else [])
    entries += _entries(Assessment, _records(Assessment, id=assessment.pk), own, lambda r: "", names)
    score_fields = SELF_SCORE_FIELDS + (APPRAISAL_SCORE_FIELDS if appraisal_side else [])
    entries += _entries(Score, _records(Score, assessment_id=assessment.pk), score_fields,
                        lambda r: f"Tiêu chí {item_code(r.id)}", names)
    files = {r.id: r.original_name for r in _records(EvidenceFile, assessment_id=assessment.pk)}
    documents = {r.id: r.number_symbol for r in _records(Document, assessment_id=assessment.pk)}
    entries += _entries(Evidence, _records(Evidence, score_id__in=score_ids), ["locator", "stage"],
                        lambda r: f"Tiêu chí {item_code(r.score_id)}: "
                                  + (files.get(r.file_id) or documents.get(r.document_id) or "tài liệu đã xóa"),
                        names)
    entries += _entries(EvidenceFile, _records(EvidenceFile, assessment_id=assessment.pk),
                        ["original_name", "size"], lambda r: r.original_name, names)
    entries += _entries(Document, _records(Document, assessment_id=assessment.pk),
                        _tracked_fields(Document, skip={"original_name"}), lambda r: r.number_symbol, names)
    entries += _entries(PlanTask, _records(PlanTask, assessment_id=assessment.pk), _tracked_fields(PlanTask),
                        lambda r: f"{r.order}. {r.content[:60]}", names)
    entries += _entries(Meeting, _records(Meeting, assessment_id=assessment.pk), _tracked_fields(Meeting),
                        lambda r: f"{r.held_on:%d/%m/%Y}: {r.title[:60]}", names)
    entries += _entries(ServiceFigures, _records(ServiceFigures, assessment_id=assessment.pk),
                        _tracked_fields(ServiceFigures), lambda r: "", names)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]
