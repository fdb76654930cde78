"""The commune's other yearly data: the annual plan and its tasks, the register of directive
documents, meetings, online public-service figures and the narrative of the report.

Commune officers and leaders edit them while the score sheet is editable; the rules for a
document's number and symbol (Nghị định 30/2020/NĐ-CP) live here so forms and imports share them."""

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from parindex.errors import ParIndexError
from parindex.models import (
    Document,
    DocumentType,
    Item,
    ItemLevel,
    Meeting,
    PlanTask,
    PlanTaskStatus,
    ServiceFigures,
)
from parindex.numbers import parse_count
from parindex.services.evidence import EvidenceError, uploaded_file_check
from parindex.services.history import assessment_history_record, by
from parindex.services.workflow import self_assessment_lock_reason
from parindex.xlsx_import import XlsxImportError, sheet_rows, xlsx_workbook


class PlanError(ParIndexError):
    """A refused change; the message is Vietnamese and says why."""


def yearly_data_lock_reason(*, assessment, actor):
    """Why `actor` cannot change the commune's yearly data now, or None."""
    if not actor.has_perm("parindex.edit_self_assessment", assessment):
        return f"Bạn không có quyền cập nhật dữ liệu của {assessment.unit}."
    return self_assessment_lock_reason(assessment=assessment)


def _require_editable(*, assessment, actor):
    reason = yearly_data_lock_reason(assessment=assessment, actor=actor)
    if reason:
        raise PlanError(f"Không thể cập nhật: {reason}")


def _require_own(obj, assessment):
    if obj.assessment_id != assessment.pk:
        raise PlanError("Mục này thuộc bản đánh giá khác.")


# --- Number and symbol (số, ký hiệu) --------------------------------------------------------------

TYPE_CODES = {t.value.upper(): t for t in DocumentType if t != DocumentType.CONG_VAN}
_PART = r"[A-ZĐ0-9]+"
# 193/QĐ-UBND, 01/2024/QĐ-UBND (văn bản QPPL carry the year), 12/KH-BCĐ-UBND
_SYMBOL = re.compile(rf"^(?P<number>\d{{1,6}})(?:/(?P<year>\d{{4}}))?/(?P<code>[A-ZĐ]+)-(?P<issuer>{_PART}(?:-{_PART})*)$")
# Công văn: 45/UBND, 45/UBND-VP (no type code)
_LETTER = re.compile(rf"^(?P<number>\d{{1,6}})/(?P<issuer>{_PART}(?:-{_PART})*)$")


def document_symbol_normalize(*, doc_type, number_symbol):
    """Check a document's "số, ký hiệu" against its type and return it in canonical form
    ("193/qđ-ubnd" → "193/QĐ-UBND"). Raises ValidationError with a Vietnamese message."""
    text = unicodedata.normalize("NFC", (number_symbol or "").strip()).replace(" ", "")
    if text.lower().startswith("số"):
        text = text[2:].lstrip(":.")
    if not text:
        raise ValidationError("Nhập số, ký hiệu văn bản, ví dụ 193/QĐ-UBND.")
    try:
        kind = DocumentType(doc_type)
    except ValueError:
        raise ValidationError("Chọn loại văn bản.") from None
    if kind == DocumentType.CONG_VAN:
        match = _LETTER.match(text.upper())
        if not match:
            raise ValidationError(
                f"“{number_symbol}” không đúng dạng số, ký hiệu công văn: số/viết tắt cơ quan ban hành, "
                "ví dụ 45/UBND hoặc 45/UBND-VP."
            )
        issuer_parts = match.group("issuer").split("-")
        if issuer_parts[0] in TYPE_CODES or issuer_parts[0] == "CV":
            raise ValidationError(
                "Công văn không có chữ viết tắt tên loại văn bản: viết 45/UBND hoặc 45/UBND-VP, "
                f"không viết “{number_symbol}”."
            )
        return text.upper()
    match = _SYMBOL.match(text.upper())
    if not match:
        raise ValidationError(
            f"“{number_symbol}” không đúng dạng số/ký hiệu: số/{kind.value}-viết tắt cơ quan ban hành, "
            f"ví dụ 193/{kind.value}-UBND."
        )
    code = match.group("code")
    if code.upper() != kind.value.upper():
        found = TYPE_CODES.get(code.upper())
        found_text = f" ({found.label})" if found else ""
        raise ValidationError(
            f"Ký hiệu “{code}”{found_text} không khớp loại văn bản {kind.label}: "
            f"chữ viết tắt phải là “{kind.value}”, ví dụ 193/{kind.value}-UBND."
        )
    year = f"/{match.group('year')}" if match.group("year") else ""
    return f"{match.group('number')}{year}/{kind.value}-{match.group('issuer').upper()}"


PLAN_DECISION_TYPES = (DocumentType.QUYET_DINH, DocumentType.KE_HOACH)


def plan_number_normalize(number_symbol):
    """The annual plan is issued by a decision (193/QĐ-UBND) or as a plan (12/KH-UBND)."""
    text = (number_symbol or "").strip()
    code = text.split("/")[-1].split("-")[0].upper() if "/" in text else ""
    doc_type = DocumentType.KE_HOACH if code == "KH" else DocumentType.QUYET_DINH
    return document_symbol_normalize(doc_type=doc_type, number_symbol=text)


# --- Annual plan ----------------------------------------------------------------------------------

def plan_decision_update(*, assessment, actor, plan_number, plan_date, documents_declared=None):
    """The plan's decision and the number of documents the commune reports having issued under it
    (the report prints that count as declared; the register may list fewer)."""
    _require_editable(assessment=assessment, actor=actor)
    number = plan_number_normalize(plan_number) if (plan_number or "").strip() else ""
    if number and plan_date is None:
        raise ValidationError({"plan_date": "Nhập ngày ban hành kế hoạch."})
    type(assessment).objects.filter(pk=assessment.pk).update(plan_number=number, plan_date=plan_date,
                                                             documents_declared=documents_declared)
    assessment_history_record(assessment_id=assessment.pk, actor=actor, reason="Quyết định ban hành kế hoạch")
    assessment.plan_number, assessment.plan_date = number, plan_date
    assessment.documents_declared = documents_declared
    return assessment


TASK_FIELDS = ("order", "content", "area", "lead", "deadline", "status", "completed_on", "result_document")


def _task_clean(task, assessment):
    errors = {}
    if not (task.content or "").strip():
        errors["content"] = "Nhập nội dung nhiệm vụ."
    if task.area_id and (task.area.level != ItemLevel.AREA
                         or task.area.criteria_set_id != assessment.year.criteria_set_id):
        errors["area"] = "Lĩnh vực không thuộc bộ chỉ số của năm đánh giá."
    if task.completed_on and task.status != PlanTaskStatus.DONE:
        errors["completed_on"] = "Chỉ nhập ngày hoàn thành khi nhiệm vụ đã hoàn thành."
    if errors:
        raise ValidationError(errors)


def plan_task_create(*, assessment, actor, **fields):
    _require_editable(assessment=assessment, actor=actor)
    task = PlanTask(assessment=assessment, **{k: v for k, v in fields.items() if k in TASK_FIELDS})
    if not task.order:
        last = PlanTask.objects.filter(assessment=assessment).order_by("-order").values_list("order", flat=True).first()
        task.order = (last or 0) + 1
    _task_clean(task, assessment)
    by(task, actor).save()
    return task


def plan_task_update(*, task, actor, **fields):
    assessment = task.assessment
    _require_editable(assessment=assessment, actor=actor)
    for name, value in fields.items():
        if name in TASK_FIELDS:
            setattr(task, name, value)
    _task_clean(task, assessment)
    by(task, actor).save()
    return task


def plan_task_delete(*, task, actor):
    _require_editable(assessment=task.assessment, actor=actor)
    by(task, actor).delete()


# --- Task import from XLSX ------------------------------------------------------------------------

IMPORT_COLUMNS = ["STT", "Nội dung", "Lĩnh vực (mã)", "Chủ trì", "Thời hạn", "Tình trạng", "Ngày hoàn thành",
                  "Sản phẩm"]
_STATUS_WORDS = {
    "hoàn thành": PlanTaskStatus.DONE, "đã hoàn thành": PlanTaskStatus.DONE, "done": PlanTaskStatus.DONE,
    "không hoàn thành": PlanTaskStatus.NOT_DONE, "chưa hoàn thành": PlanTaskStatus.NOT_DONE,
    "đang thực hiện": PlanTaskStatus.IN_PROGRESS, "chưa thực hiện": PlanTaskStatus.NOT_STARTED,
    "": PlanTaskStatus.NOT_STARTED,
}


@dataclass
class ImportResult:
    created: int = 0
    replaced: int = 0
    errors: list = field(default_factory=list)  # "Dòng 5: …"

    @property
    def ok(self):
        return not self.errors


def _norm(text):
    return unicodedata.normalize("NFC", str(text or "")).strip().lower()


def _cell_date(value, row, column, errors):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(f"Dòng {row}: cột “{column}” “{text}” không phải là ngày (dd/mm/yyyy).")
    return None


def _header_map(header):
    wanted = {_norm(c): c for c in IMPORT_COLUMNS}
    found = {}
    for index, cell in enumerate(header):
        name = wanted.get(_norm(cell))
        if name:
            found[name] = index
    return found


def plan_tasks_import(*, assessment, actor, uploaded_file, replace=False):
    """Import plan tasks from the first sheet of an XLSX file (columns IMPORT_COLUMNS, header on the
    first row). All or nothing: any bad row and nothing is imported; the result lists every bad row."""
    _require_editable(assessment=assessment, actor=actor)
    result = ImportResult()
    try:
        kind = uploaded_file_check(uploaded_file)
    except EvidenceError as exc:
        result.errors.append(exc.message)
        return result
    if kind.code != "xlsx":
        result.errors.append(f"Tệp phải là bảng tính Excel .xlsx (tệp đã chọn là {kind.label}).")
        return result
    try:
        uploaded_file.seek(0)
        with xlsx_workbook(uploaded_file) as workbook:
            rows = [values for _, values in sheet_rows(workbook.worksheets[0])]
    except XlsxImportError as exc:
        result.errors.extend(exc.lines)
        return result
    if not rows:
        result.errors.append("Bảng tính trống.")
        return result
    columns = _header_map(rows[0])
    missing = [c for c in ("Nội dung",) if c not in columns]
    if missing:
        result.errors.append(
            "Dòng 1 phải là tiêu đề cột; thiếu cột: " + ", ".join(f"“{c}”" for c in missing)
            + ". Các cột: " + ", ".join(IMPORT_COLUMNS) + "."
        )
        return result
    areas = {a.code: a for a in Item.objects.filter(criteria_set_id=assessment.year.criteria_set_id,
                                                    level=ItemLevel.AREA)}
    max_lengths = {f.name: f.max_length for f in PlanTask._meta.get_fields() if getattr(f, "max_length", None)}

    def cell(values, name):
        index = columns.get(name)
        return values[index] if index is not None and index < len(values) else None

    tasks = []
    for row_number, values in enumerate(rows[1:], start=2):
        if all(v in (None, "") for v in values):
            continue
        errors = []
        content = str(cell(values, "Nội dung") or "").strip()
        if not content:
            errors.append(f"Dòng {row_number}: thiếu nội dung nhiệm vụ.")
        order = cell(values, "STT")
        if isinstance(order, float) and order.is_integer():
            order = int(order)  # Excel stores 3 as 3.0
        try:
            order = parse_count(order, label="STT")
        except ValueError as exc:
            errors.append(f"Dòng {row_number}: {exc}")
            order = 0
        if order is None:
            order = len(tasks) + 1
        area_code = str(cell(values, "Lĩnh vực (mã)") or "").strip()
        if area_code.endswith(".0"):
            area_code = area_code[:-2]  # Excel turns "3" into 3.0
        area = areas.get(area_code) if area_code else None
        if area_code and area is None:
            errors.append(f"Dòng {row_number}: mã lĩnh vực “{area_code}” không có trong bộ chỉ số "
                          f"(các mã: {', '.join(sorted(areas))}).")
        status_text = _norm(cell(values, "Tình trạng"))
        status = _STATUS_WORDS.get(status_text)
        if status is None:
            errors.append(f"Dòng {row_number}: tình trạng “{cell(values, 'Tình trạng')}” không hợp lệ "
                          "(Hoàn thành, Không hoàn thành, Đang thực hiện, Chưa thực hiện).")
        deadline = _cell_date(cell(values, "Thời hạn"), row_number, "Thời hạn", errors)
        completed_on = _cell_date(cell(values, "Ngày hoàn thành"), row_number, "Ngày hoàn thành", errors)
        if completed_on and status not in (None, PlanTaskStatus.DONE):
            errors.append(f"Dòng {row_number}: có ngày hoàn thành nhưng tình trạng không phải “Hoàn thành”.")
        lead = str(cell(values, "Chủ trì") or "").strip()
        result_document = str(cell(values, "Sản phẩm") or "").strip()
        if len(lead) > max_lengths["lead"]:
            errors.append(f"Dòng {row_number}: “Chủ trì” dài quá {max_lengths['lead']} ký tự.")
        if len(result_document) > max_lengths["result_document"]:
            errors.append(f"Dòng {row_number}: “Sản phẩm” dài quá {max_lengths['result_document']} ký tự.")
        result.errors.extend(errors)
        if not errors:
            tasks.append(PlanTask(assessment=assessment, order=order, content=content, area=area, lead=lead,
                                  deadline=deadline, status=status, completed_on=completed_on,
                                  result_document=result_document))
    if not result.errors and not tasks:
        result.errors.append("Bảng tính không có dòng nhiệm vụ nào dưới dòng tiêu đề.")
    if result.errors:
        return result
    with transaction.atomic():
        if replace:
            # One by one, so that each removed task is in the history with the acting user.
            old_tasks = list(PlanTask.objects.filter(assessment=assessment))
            for task in old_tasks:
                by(task, actor).delete()
            result.replaced = len(old_tasks)
        bulk_create_with_history(tasks, PlanTask, default_user=actor, default_change_reason="Nhập từ Excel")
    result.created = len(tasks)
    return result


# --- Directive documents register -----------------------------------------------------------------

DOCUMENT_FIELDS = ("doc_type", "number_symbol", "issued_on", "issuer", "summary", "is_illustrative")


def _document_save(document, *, upload):
    errors = {}
    try:
        document.number_symbol = document_symbol_normalize(doc_type=document.doc_type,
                                                           number_symbol=document.number_symbol)
    except ValidationError as exc:
        errors["number_symbol"] = exc.messages[0]
    if not (document.summary or "").strip():
        errors["summary"] = "Nhập trích yếu nội dung văn bản."
    if upload is not None:
        try:
            uploaded_file_check(upload)
        except EvidenceError as exc:
            errors["file"] = exc.message
    if errors:
        raise ValidationError(errors)
    duplicate = Document.objects.filter(assessment_id=document.assessment_id, number_symbol=document.number_symbol,
                                        issued_on=document.issued_on).exclude(pk=document.pk)
    if duplicate.exists():
        raise ValidationError({"number_symbol": f"Sổ văn bản đã có văn bản số {document.number_symbol} "
                                                f"ngày {document.issued_on:%d/%m/%Y}."})
    if upload is not None:
        old = document.file.name if document.file else None
        document.original_name = os.path.basename(upload.name)[:255]
        document.file.save(os.path.basename(upload.name), upload, save=False)
        if old and old != document.file.name:
            storage = document.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    try:
        with transaction.atomic():
            document.save()  # the acting user is set by document_create / document_update
    except IntegrityError:
        raise ValidationError({"number_symbol": "Sổ văn bản đã có văn bản cùng số, ký hiệu và ngày."}) from None
    return document


def document_create(*, assessment, actor, upload=None, **fields):
    _require_editable(assessment=assessment, actor=actor)
    document = Document(assessment=assessment, **{k: v for k, v in fields.items() if k in DOCUMENT_FIELDS})
    return _document_save(by(document, actor), upload=upload)


def document_update(*, document, actor, upload=None, remove_file=False, **fields):
    _require_editable(assessment=document.assessment, actor=actor)
    for name, value in fields.items():
        if name in DOCUMENT_FIELDS:
            setattr(document, name, value)
    if remove_file and upload is None and document.file:
        old = document.file.name
        storage = document.file.storage
        document.file, document.original_name = "", ""
        transaction.on_commit(lambda: storage.delete(old))
    return _document_save(by(document, actor), upload=upload)


def document_delete(*, document, actor):
    _require_editable(assessment=document.assessment, actor=actor)
    used = document.links.count()
    if used:
        raise PlanError(f"Văn bản {document.number_symbol} đang là tài liệu kiểm chứng của {used} tiêu chí: "
                        "gỡ khỏi các tiêu chí trước khi xóa.")
    stored = document.file.name if document.file else None
    storage = document.file.storage
    by(document, actor).delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


# --- Meetings -------------------------------------------------------------------------------------

MEETING_FIELDS = ("kind", "held_on", "title", "document")


def meeting_create(*, assessment, actor, **fields):
    _require_editable(assessment=assessment, actor=actor)
    meeting = Meeting(assessment=assessment, **{k: v for k, v in fields.items() if k in MEETING_FIELDS})
    meeting.full_clean(exclude=["assessment"])
    by(meeting, actor).save()
    return meeting


def meeting_update(*, meeting, actor, **fields):
    _require_editable(assessment=meeting.assessment, actor=actor)
    for name, value in fields.items():
        if name in MEETING_FIELDS:
            setattr(meeting, name, value)
    meeting.full_clean(exclude=["assessment"])
    by(meeting, actor).save()
    return meeting


def meeting_delete(*, meeting, actor):
    _require_editable(assessment=meeting.assessment, actor=actor)
    by(meeting, actor).delete()


# --- Online public-service figures ----------------------------------------------------------------

FIGURE_FIELDS = ("period_start", "period_end", "dossiers_received", "dossiers_online", "dossiers_fully_online",
                 "results_digitised", "online_rate_published", "digitised_rate_published")


def service_figures_save(*, assessment, actor, **fields):
    _require_editable(assessment=assessment, actor=actor)
    figures = ServiceFigures.objects.filter(assessment=assessment).first() or ServiceFigures(assessment=assessment)
    for name in FIGURE_FIELDS:
        if name in fields:
            setattr(figures, name, fields[name])
    errors = {}
    received = figures.dossiers_received
    for name, label in (("dossiers_online", "Số hồ sơ trực tuyến"), ("results_digitised", "Số hồ sơ số hóa")):
        value = getattr(figures, name)
        if value is not None and received is not None and value > received:
            errors[name] = f"{label} ({value}) không được lớn hơn số hồ sơ tiếp nhận ({received})."
    if (figures.dossiers_fully_online is not None and figures.dossiers_online is not None
            and figures.dossiers_fully_online > figures.dossiers_online):
        errors["dossiers_fully_online"] = (f"Số hồ sơ toàn trình ({figures.dossiers_fully_online}) không được lớn "
                                           f"hơn số hồ sơ trực tuyến ({figures.dossiers_online}).")
    if figures.period_start and figures.period_end and figures.period_end < figures.period_start:
        errors["period_end"] = "Ngày kết thúc kỳ số liệu phải sau ngày bắt đầu."
    for name in ("online_rate_published", "digitised_rate_published"):
        value = getattr(figures, name)
        if value is not None and not (0 <= value <= 100):
            errors[name] = "Tỷ lệ phải trong khoảng 0–100%."
    if errors:
        raise ValidationError(errors)
    by(figures, actor).save()
    return figures


# --- Narrative ------------------------------------------------------------------------------------

def narrative_save(*, assessment, actor, strengths, weaknesses, proposals):
    _require_editable(assessment=assessment, actor=actor)
    values = {"strengths": (strengths or "").strip(), "weaknesses": (weaknesses or "").strip(),
              "proposals": (proposals or "").strip()}
    type(assessment).objects.filter(pk=assessment.pk).update(**values)
    assessment_history_record(assessment_id=assessment.pk, actor=actor, reason="Đánh giá chung")
    for name, value in values.items():
        setattr(assessment, name, value)
    return assessment
