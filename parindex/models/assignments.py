from django.conf import settings
from django.db import models
from django.db.models import Q

from communes.models import Unit

from .criteria import Item
from .years import EvaluationYear


class AppraisalAssignment(models.Model):
    """Phân công thẩm định: for one year, one area (lĩnh vực) or one criterion is appraised by one
    appraiser or one team (a department, sở, ngành) for every commune of the year or for a subset.
    A leaf's responsible assignment is the most specific one above it that covers the commune;
    leaves without one fall to the coordinator (the province-level appraiser, Sở Nội vụ)."""

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="assignments",
                             verbose_name="kỳ đánh giá")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="assignments",
                             verbose_name="lĩnh vực hoặc tiêu chí")
    appraiser = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="appraisal_assignments", verbose_name="cán bộ thẩm định")
    team = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="appraisal_assignments", verbose_name="sở, ngành")
    communes = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="các xã (để trống: tất cả)")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="người phân công")
    assigned_at = models.DateTimeField("phân công lúc", auto_now=True)

    class Meta:
        verbose_name = "phân công thẩm định"
        verbose_name_plural = "phân công thẩm định"
        ordering = ["year", "item__sort_key"]
        constraints = [
            # One responsible party per item and year: reassigning changes the assignee.
            models.UniqueConstraint(fields=["year", "item"], name="one_assignment_per_item_year"),
            models.CheckConstraint(
                condition=(Q(appraiser__isnull=False) & Q(team__isnull=True))
                | (Q(appraiser__isnull=True) & Q(team__isnull=False)),
                name="assignment_one_assignee",
            ),
        ]

    def __str__(self):
        return f"{self.item.code} — {self.assignee_name}"

    @property
    def assignee_name(self):
        if self.team_id:
            return self.team.display_name
        user = self.appraiser
        return user.get_full_name() or user.username
