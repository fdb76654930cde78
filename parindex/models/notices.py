from django.db import models

from .assessments import Assessment, LockStage


class DeadlineNoticeKind(models.TextChoices):
    REMINDER = "reminder", "Nhắc hạn"
    LOCKED = "locked", "Đã khóa do hết hạn"


class DeadlineNotice(models.Model):
    """What the deadline jobs already did for one assessment, stage and deadline: the unique constraint
    makes "each reminder once" a database fact, so a second (or concurrent) beat run sends nothing.
    The deadline itself is part of the key: when the province moves a deadline, reminders start over."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="deadline_notices")
    stage = models.CharField("giai đoạn", max_length=20, choices=LockStage.choices)
    kind = models.CharField("loại", max_length=10, choices=DeadlineNoticeKind.choices)
    days_before = models.PositiveSmallIntegerField("số ngày trước hạn", default=0)
    deadline = models.DateTimeField("hạn")
    recipients = models.JSONField("người nhận", default=list, blank=True)
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "thông báo về thời hạn"
        verbose_name_plural = "thông báo về thời hạn"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "stage", "kind", "days_before", "deadline"],
                                    name="one_deadline_notice"),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.get_kind_display()} {self.get_stage_display()}"
