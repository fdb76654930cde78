from django.conf import settings
from django.db import models
from django.db.models import Q

from .years import EvaluationYear


def council_upload_to(instance, filename):
    return f"council/{instance.year.year}/{instance.year.scope.code}/{filename}"


class CouncilDecision(models.Model):
    """The close of a year appraised by the province: the Hội đồng thẩm định's review (meeting date,
    minutes, members present) and UBND tỉnh's decision approving the ranking (number, date, file).
    The ranking page and the summary reports cite it once it is recorded."""

    year = models.OneToOneField(EvaluationYear, on_delete=models.CASCADE, related_name="council_decision",
                                verbose_name="kỳ đánh giá")
    review_date = models.DateField("ngày họp Hội đồng thẩm định", null=True, blank=True)
    minutes = models.FileField("biên bản họp Hội đồng", upload_to=council_upload_to, blank=True, max_length=255)
    members_present = models.TextField("thành viên dự họp", blank=True, help_text="Mỗi dòng một người: họ tên, chức vụ")
    decision_number = models.CharField("số quyết định của UBND tỉnh", max_length=60, blank=True,
                                       help_text="Ví dụ: 125/QĐ-UBND")
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_file = models.FileField("tệp quyết định", upload_to=council_upload_to, blank=True, max_length=255)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kết quả họp Hội đồng thẩm định và quyết định xếp hạng"
        verbose_name_plural = "kết quả họp Hội đồng thẩm định và quyết định xếp hạng"
        constraints = [
            # A decision is cited by its number and date: never one without the other.
            models.CheckConstraint(
                condition=(Q(decision_number="") & Q(decision_date__isnull=True))
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="council_decision_number_and_date",
            ),
        ]

    def __str__(self):
        return f"Hội đồng thẩm định năm {self.year.year}"

    @property
    def members(self):
        return [line.strip() for line in self.members_present.splitlines() if line.strip()]

    @property
    def has_decision(self):
        return bool(self.decision_number)

    @property
    def citation(self):
        """The sentence the ranking and reports print, e.g. "Quyết định số 125/QĐ-UBND ngày
        10/02/2026 của UBND tỉnh phê duyệt kết quả xếp hạng (Hội đồng thẩm định họp ngày 05/02/2026)"."""
        parts = []
        if self.has_decision:
            parts.append(f"Quyết định số {self.decision_number} ngày {self.decision_date:%d/%m/%Y} của "
                         f"{self.year.scope.committee_short} phê duyệt kết quả xếp hạng")
        if self.review_date:
            review = f"Hội đồng thẩm định họp ngày {self.review_date:%d/%m/%Y}"
            parts.append(f"({review})" if parts else review)
        return " ".join(parts)
