"""The check an officer runs before submitting: errors block submission, warnings do not.
Each finding links to its item on the score sheet. Built-in checks come first, then the criteria
set's own cross-check rules (parindex.selectors.crosschecks)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from parindex.models import Document, Score, ScoringMethod
from parindex.numbers import format_points
from parindex.selectors.appraisal import last_year_scores
from parindex.selectors.crosschecks import assessment_cross_checks

LARGE_CHANGE_SHARE = Decimal("0.5")


@dataclass
class Finding:
    item_code: str
    item_name: str
    message: str
    score_id: int

    @property
    def anchor(self):
        return f"item-{self.item_code}"


@dataclass
class QualityReport:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # Warnings about the register of documents (not tied to an item of the sheet).
    register_warnings: list = field(default_factory=list)

    @property
    def warning_count(self):
        return len(self.warnings) + len(self.register_warnings)

    @property
    def ok(self):
        return not self.errors


def register_warnings(*, assessment):
    """What the report would print oddly from the register: a declared count the list does not
    match (the report prints both as given; nothing is added), a document dated before the plan year."""
    documents = list(Document.objects.filter(assessment=assessment).order_by("id"))
    warnings = []
    declared = assessment.documents_declared
    if declared is not None and declared != len(documents):
        warnings.append(f"Đã kê khai {declared:02d} văn bản chỉ đạo, điều hành nhưng danh mục có "
                        f"{len(documents):02d} văn bản.")
    year = assessment.year.year
    # Documents carrying out the year's plan are not older than the plan itself (often issued late in
    # the year before); without a plan date, not older than the plan year. Older is likely a typo.
    start = assessment.plan_date or dt.date(year, 1, 1)
    for doc in documents:
        if doc.issued_on < start:
            warnings.append(f"{doc.get_doc_type_display()} số {doc.number_symbol} ngày {doc.issued_on:%d/%m/%Y} "
                            f"ghi ngày trước năm kế hoạch {year}: kiểm tra lại năm ban hành.")
    return warnings


def assessment_quality_check(*, assessment):
    report = QualityReport(register_warnings=register_warnings(assessment=assessment))
    scores = (
        Score.objects.filter(assessment=assessment)
        .select_related("item")
        .annotate(evidence_count=Count("evidence"))
        .order_by("item__sort_key")
    )
    previous = last_year_scores(assessment)
    for score in scores:
        item = score.item
        if item.scoring_method != ScoringMethod.SELF:
            continue

        def add(target, message, item=item, score=score):
            target.append(Finding(item.code, item.name, message, score.id))

        if score.not_applicable:
            if not item.allows_not_applicable:
                add(report.errors, "Tiêu chí này không được chọn “không áp dụng”.")
            elif not score.self_note.strip():
                add(report.warnings, "Chọn “không áp dụng” nhưng chưa thuyết minh lý do.")
            continue
        if score.self_score is None:
            add(report.errors, "Chưa chấm điểm tự đánh giá.")
            continue
        if score.self_score > item.max_points:
            add(report.errors, f"Điểm tự đánh giá {format_points(score.self_score)} vượt điểm tối đa "
                               f"{format_points(item.max_points)}.")
        if (item.requires_evidence and score.self_score > 0 and score.evidence_count == 0
                and not score.self_note.strip()):
            add(report.errors, "Có điểm nhưng chưa có tài liệu kiểm chứng hoặc thuyết minh cách chấm.")
        last = previous.get(item.code)
        if last is not None and item.max_points and abs(score.self_score - last) > item.max_points * LARGE_CHANGE_SHARE:
            add(report.warnings, f"Chênh lệch lớn so với điểm thẩm định năm trước ({format_points(last)}).")
    # The rules the criteria set declares (cross-checks): errors block submission like the ones above.
    for finding in assessment_cross_checks(assessment=assessment).findings:
        target = report.errors if finding.is_error else report.warnings
        target.append(Finding(finding.item.code, finding.item.name, finding.message, finding.score_id))
    return report
