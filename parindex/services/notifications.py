"""E-mail to the people who must act next: after each workflow event commits, and before deadlines."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from communes.models import Membership, Role
from parindex.models import ApprovalEvent, AssessmentStatus, LockStage

logger = logging.getLogger(__name__)

S = AssessmentStatus
COMMUNE_ROLES = [Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER]
APPRAISER_ROLES = [Role.APPRAISER]

TO_APPRAISERS = {"submit", "resubmit", "withdraw"}
TO_COMMUNE = {"return", "approve", "publish", "complete"}
TO_BOTH = {"reopen"}
# A deadline event goes to whoever the assessment was waiting for when the stage closed.
COMMUNE_WAITS_IN = {S.DRAFT, S.RETURNED}

SUBJECTS = {
    "submit": "{unit} đã nộp bản tự đánh giá Chỉ số CCHC năm {year}",
    "withdraw": "{unit} đã rút lại bản tự đánh giá năm {year} để chỉnh sửa",
    "resubmit": "{unit} đã nộp giải trình Chỉ số CCHC năm {year}",
    "return": "Yêu cầu giải trình Chỉ số CCHC năm {year} của {unit}",
    "complete": "Đã hoàn thành thẩm định Chỉ số CCHC năm {year} của {unit}",
    "approve": "Kết quả Chỉ số CCHC năm {year} của {unit} đã được phê duyệt",
    "publish": "Kết quả Chỉ số CCHC năm {year} của {unit} đã được công bố",
    "reopen": "Bản đánh giá Chỉ số CCHC năm {year} của {unit} đã được mở lại",
    "deadline_locked": "Đã hết hạn: Chỉ số CCHC năm {year} của {unit}",
}

# What the people reminded have not done yet, per stage.
REMINDER_TODO = {
    LockStage.SELF_ASSESSMENT: "{unit} chưa nộp bản tự đánh giá",
    LockStage.EXPLANATION: "{unit} chưa nộp giải trình",
    LockStage.APPRAISAL_ROUND1: "Bản đánh giá của {unit} chưa được thẩm định xong vòng 1",
    LockStage.APPRAISAL_ROUND2: "Bản đánh giá của {unit} chưa được thẩm định xong vòng 2",
}
REMINDER_AUDIENCE = {
    LockStage.SELF_ASSESSMENT: (COMMUNE_ROLES, "score_sheet"),
    LockStage.EXPLANATION: (COMMUNE_ROLES, "explanation_sheet"),
    LockStage.APPRAISAL_ROUND1: (APPRAISER_ROLES, "appraisal_sheet"),
    LockStage.APPRAISAL_ROUND2: (APPRAISER_ROLES, "appraisal_sheet"),
}
SIGNATURE = "\n-- PAR Index (thư tự động, vui lòng không trả lời)\n"


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


def _with_assigned(emails, *, roles, assessment):
    """Where appraisers are concerned, the departments assigned areas of the commune are too."""
    if Role.APPRAISER not in roles:
        return emails
    from parindex.selectors.assignments import assigned_appraiser_emails

    return sorted(set(emails) | set(assigned_appraiser_emails(assessment=assessment)))


def _link(name, pk):
    try:
        return settings.SITE_URL.rstrip("/") + reverse(name, args=[pk])
    except NoReverseMatch:
        return settings.SITE_URL


def _fmt(dt):
    return date_format(timezone.localtime(dt), "H:i \\n\\g\\à\\y d/m/Y")


def _audience(event):
    """(roles, link) of the people an event concerns, or None when nobody needs a mail."""
    action, pk = event.action, event.assessment_id
    if action in TO_APPRAISERS:
        return APPRAISER_ROLES, _link("appraisal_sheet", pk)
    if action == "return":
        return COMMUNE_ROLES, _link("explanation_sheet", pk)
    if action in TO_COMMUNE:
        return COMMUNE_ROLES, _link("score_sheet", pk)
    if action in TO_BOTH:
        return COMMUNE_ROLES + APPRAISER_ROLES, _link("score_sheet", pk)
    if action == "deadline_locked":
        if event.from_status in COMMUNE_WAITS_IN:
            return COMMUNE_ROLES, _link("score_sheet", pk)
        return APPRAISER_ROLES, _link("appraisal_sheet", pk)
    return None


def event_notify(*, event_id):
    """Mail the people who must act after a workflow event. Returns the number of mails sent."""
    event = ApprovalEvent.objects.select_related("assessment__unit", "assessment__year", "actor").get(pk=event_id)
    assessment = event.assessment
    audience = _audience(event)
    if audience is None:
        return 0
    roles, link = audience
    to = _with_assigned(recipients_for(unit=assessment.unit, roles=roles), roles=roles, assessment=assessment)
    if not to:
        return 0
    subject = SUBJECTS[event.action].format(unit=assessment.unit.committee_short, year=assessment.year.year)
    actor = (event.actor.get_full_name() or event.actor.username) if event.actor else "Hệ thống"
    if event.from_status == event.to_status:
        state = f"Trạng thái: {event.get_to_status_display()}\n"
    else:
        state = f"Trạng thái: {event.get_from_status_display()} → {event.get_to_status_display()}\n"
    body = (
        f"{subject}.\n\nNgười thực hiện: {actor}\n{state}"
        + (f"Ghi chú: {event.comment}\n" if event.comment else "")
        + f"\nXem chi tiết: {link}\n{SIGNATURE}"
    )
    try:
        return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in to])
    except OSError:
        # Mail is a courtesy: a down mail server must not undo a committed transition.
        logger.exception("Không gửi được thư thông báo cho sự kiện %s", event_id)
        return 0


def deadline_reminder_notify(*, assessment, stage, deadline, days_before):
    """Remind the people who have not acted that `stage` closes at `deadline`. Returns the addresses
    mailed. Raises OSError when the mail server fails, so that the caller can try again later."""
    roles, link_name = REMINDER_AUDIENCE[stage]
    to = _with_assigned(recipients_for(unit=assessment.unit, roles=roles), roles=roles, assessment=assessment)
    if not to:
        return []
    unit = assessment.unit.committee_short
    label = LockStage(stage).label.lower()
    subject = f"Nhắc hạn {label} Chỉ số CCHC năm {assessment.year.year}: còn {days_before} ngày ({unit})"
    body = (
        f"{REMINDER_TODO[stage].format(unit=unit)}.\n\n"
        f"Hạn {label}: {_fmt(deadline)} (còn {days_before} ngày).\n"
        "Sau thời hạn này hệ thống tự động khóa chức năng tương ứng; chỉ quản trị cấp tỉnh mới gia hạn được.\n"
        f"\nThực hiện tại: {_link(link_name, assessment.pk)}\n{SIGNATURE}"
    )
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [addr]) for addr in to])
    return to
