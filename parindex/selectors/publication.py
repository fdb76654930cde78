"""What a publication will do, shown before it is confirmed: which communes will be published (with
the index, rank and band they will carry), which are left out and why, and which already are."""

from dataclasses import dataclass, field

from parindex.models import Assessment, AssessmentStatus

from .queue import vn_sort_key
from .rankings import year_ranking

S = AssessmentStatus

# Why an assessment cannot be published yet, by its state.
NOT_READY_REASONS = {
    S.DRAFT: "Chưa nộp bản tự đánh giá",
    S.SUBMITTED: "Đã nộp, chưa bắt đầu thẩm định",
    S.IN_APPRAISAL: "Đang thẩm định",
    S.RETURNED: "Đã trả lại để giải trình, chờ xã giải trình",
    S.EXPLAINED: "Đã giải trình, chờ thẩm định vòng 2",
    S.APPRAISED: "Đã thẩm định, chờ phê duyệt",
}
NOT_CHOSEN_REASON = "Đã phê duyệt nhưng không chọn công bố đợt này"


@dataclass
class PublicationLine:
    result: object  # RankedResult
    reason: str = ""

    @property
    def assessment(self):
        return self.result.assessment

    @property
    def unit(self):
        return self.result.unit


@dataclass
class PublicationPreview:
    year: object
    to_publish: list = field(default_factory=list)
    left_out: list = field(default_factory=list)
    already: list = field(default_factory=list)

    @property
    def is_partial(self):
        """After this publication some communes of the year are still unpublished."""
        return bool(self.left_out)


def publication_preview(*, year, chosen_ids=None):
    """Split the year's assessments into those this publication will publish (the approved ones,
    or those of them in `chosen_ids`), those left out with the reason, and those already published.
    Ranks and bands come from the ranking selector over the whole year. Constant queries."""
    everyone = Assessment.objects.filter(year=year).select_related("unit", "unit__parent")
    preview = PublicationPreview(year=year)
    chosen = None if chosen_ids is None else {int(i) for i in chosen_ids}
    for result in year_ranking(year=year, assessments=everyone):
        status = result.assessment.status
        if status == S.PUBLISHED:
            preview.already.append(PublicationLine(result))
        elif status == S.APPROVED and (chosen is None or result.assessment.id in chosen):
            preview.to_publish.append(PublicationLine(result))
        elif status == S.APPROVED:
            preview.left_out.append(PublicationLine(result, NOT_CHOSEN_REASON))
        else:
            preview.left_out.append(PublicationLine(result, NOT_READY_REASONS[status]))
    for lines in (preview.to_publish, preview.already):
        lines.sort(key=lambda line: (line.result.group.path, line.result.rank or 0, vn_sort_key(line.unit.name)))
    preview.left_out.sort(key=lambda line: (line.result.group.path, vn_sort_key(line.unit.name)))
    return preview
