"""E-mail to the people who must act next, after each workflow event commits."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import NoReverseMatch, reverse

from communes.models import Membership, Role
from parindex.models import ApprovalEvent

logger = logging.getLogger(__name__)

TO_APPRAISERS = {"submit", "resubmit", "withdraw"}
TO_COMMUNE = {"return", "approve", "publish", "reopen", "complete"}

SUBJECTS = {
    "submit": "{unit} đã nộp bản tự đánh giá Chỉ số CCHC năm {year}",
    "withdraw": "{unit} đã rút lại bản tự đánh giá năm {year} để chỉnh sửa",
    "resubmit": "{unit} đã nộp giải trình Chỉ số CCHC năm {year}",
    "return": "Yêu cầu giải trình Chỉ số CCHC năm {year} của {unit}",
    "complete": "Đã hoàn thành thẩm định Chỉ số CCHC năm {year} của {unit}",
    "approve": "Kết quả Chỉ số CCHC năm {year} của {unit} đã được phê duyệt",
    "publish": "Kết quả Chỉ số CCHC năm {year} của {unit} đã được công bố",
    "reopen": "Bản đánh giá Chỉ số CCHC năm {year} của {unit} đã được mở lại",
}


def recipients_for(*, unit, roles):
    """E-mail addresses of active users holding `roles` over `unit` (on it or an ancestor)."""
    ancestor_paths = []
    parts = unit.path.strip("/").split("/")
    for i in range(1, len(parts) + 1):
        ancestor_paths.append("/" + "/".join(parts[:i]) + "/")
    emails = (
        Membership.objects.filter(unit__path__in=ancestor_paths, role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return sorted(emails)


def _link(name, pk):
    try:
        return settings.SITE_URL.rstrip("/") + reverse(name, args=[pk])
    except NoReverseMatch:
        return settings.SITE_URL


def event_notify(*, event_id):
    event = ApprovalEvent.objects.select_related("assessment__unit", "assessment__year", "actor").get(pk=event_id)
    assessment = event.assessment
    if event.action in TO_APPRAISERS:
        roles, link = [Role.APPRAISER], _link("appraisal_sheet", assessment.pk)
    elif event.action in TO_COMMUNE:
        roles, link = [Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER], _link("score_sheet", assessment.pk)
    else:
        return 0
    to = recipients_for(unit=assessment.unit, roles=roles)
    if not to:
        return 0
    subject = SUBJECTS[event.action].format(unit=assessment.unit.committee_short, year=assessment.year.year)
    actor = event.actor.get_full_name() or event.actor.username if event.actor else "Hệ thống"
    body = (
        f"{subject}.\n\nNgười thực hiện: {actor}\nTrạng thái: {event.get_from_status_display()} → "
        f"{event.get_to_status_display()}\n"
        + (f"Ghi chú: {event.comment}\n" if event.comment else "")
        + f"\nXem chi tiết: {link}\n\n-- PAR Index (thư tự động, vui lòng không trả lời)\n"
    )
    try:
        return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in to])
    except OSError:
        # Mail is a courtesy: a down mail server must not undo a committed transition.
        logger.exception("Không gửi được thư thông báo cho sự kiện %s", event_id)
        return 0
