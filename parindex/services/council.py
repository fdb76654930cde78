"""Recording the council's review and UBND tỉnh's ranking decision on a year."""

from django.db import transaction

from parindex.errors import ParIndexError
from parindex.models import CouncilDecision

FILE_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")


class CouncilDecisionError(ParIndexError):
    """A refused record; the message is Vietnamese and says why."""


def _check_file(upload, label):
    if upload and not str(upload.name).lower().endswith(FILE_TYPES):
        raise CouncilDecisionError(f"{label}: chỉ nhận tệp PDF, Word hoặc ảnh chụp.")


def council_decision_record(*, year, actor, review_date=None, members_present="", decision_number="",
                            decision_date=None, minutes=None, decision_file=None):
    """Record (or correct) the council's review and the ranking decision of `year`. Files given
    replace the stored ones; files not given are kept."""
    if not actor.has_perm("parindex.manage_assignments", year):
        raise CouncilDecisionError("Chỉ cơ quan chủ trì thẩm định (Sở Nội vụ) được ghi kết quả họp Hội đồng.")
    if year.is_published:
        # The published ranking cites this record (ranking page, summary report): changing the
        # decision or the council's review afterwards would rewrite what was published.
        raise CouncilDecisionError("Kết quả của năm đã được công bố: không thể sửa kết quả họp Hội đồng và "
                                   "quyết định xếp hạng đã được trích dẫn.")
    decision_number = (decision_number or "").strip()
    if bool(decision_number) != (decision_date is not None):
        raise CouncilDecisionError("Quyết định xếp hạng phải có cả số và ngày ban hành.")
    if review_date and decision_date and decision_date < review_date:
        raise CouncilDecisionError("Ngày quyết định không thể trước ngày họp Hội đồng thẩm định.")
    if not (review_date or decision_number):
        raise CouncilDecisionError("Nhập ít nhất ngày họp Hội đồng hoặc số, ngày quyết định xếp hạng.")
    _check_file(minutes, "Biên bản họp")
    _check_file(decision_file, "Tệp quyết định")
    with transaction.atomic():
        record, _ = CouncilDecision.objects.select_for_update().get_or_create(year=year)
        record.review_date, record.members_present = review_date, (members_present or "").strip()
        record.decision_number, record.decision_date = decision_number, decision_date
        if minutes:
            record.minutes = minutes
        if decision_file:
            record.decision_file = decision_file
        record.recorded_by = actor
        record.save()
    return record
