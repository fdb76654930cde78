"""The assessment workflow: every state change of an assessment goes through this module.

Each transition checks the actor's permission, the current state and the stage deadline (with
per-commune lock exceptions), moves the state with a conditional UPDATE so that of two racing
actions exactly one wins, writes an ApprovalEvent with a snapshot of the totals, and sends the
notifications after the transaction commits.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from parindex.errors import ParIndexError
from parindex.models import (
    ApprovalEvent,
    Assessment,
    AssessmentStatus,
    LockException,
    LockStage,
    Score,
)
from parindex.selectors.totals import assessment_totals

S = AssessmentStatus


class WorkflowError(ParIndexError):
    """A refused action; the message is Vietnamese and says why."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple
    target: str
    permission: str
    stage: str | None
    timestamp_field: str | None = None


TRANSITIONS = {
    t.action: t
    for t in [
        Transition("submit", "Nộp bản tự đánh giá", (S.DRAFT,), S.SUBMITTED, "parindex.submit_assessment",
                   LockStage.SELF_ASSESSMENT, "submitted_at"),
        Transition("withdraw", "Rút lại để chỉnh sửa", (S.SUBMITTED,), S.DRAFT, "parindex.submit_assessment",
                   LockStage.SELF_ASSESSMENT),
        # An assigned (department) appraiser may open the appraisal of a commune they have items of;
        # returning, completing and approving stay with the coordinator (or the district appraiser).
        Transition("start_appraisal", "Bắt đầu thẩm định", (S.SUBMITTED,), S.IN_APPRAISAL,
                   "parindex.appraise_items", LockStage.APPRAISAL_ROUND1, "appraisal_started_at"),
        Transition("return", "Trả lại để giải trình", (S.IN_APPRAISAL,), S.RETURNED, "parindex.appraise_assessment",
                   LockStage.APPRAISAL_ROUND1, "returned_at"),
        Transition("resubmit", "Nộp giải trình", (S.RETURNED,), S.EXPLAINED, "parindex.submit_assessment",
                   LockStage.EXPLANATION, "explained_at"),
        Transition("complete", "Hoàn thành thẩm định", (S.IN_APPRAISAL, S.EXPLAINED), S.APPRAISED,
                   "parindex.appraise_assessment", None, "appraised_at"),
        Transition("approve", "Phê duyệt kết quả", (S.IN_APPRAISAL, S.EXPLAINED, S.APPRAISED), S.APPROVED,
                   "parindex.approve_assessment", None, "approved_at"),
        Transition("publish", "Công bố kết quả", (S.APPROVED,), S.PUBLISHED, "parindex.publish_results", None,
                   "published_at"),
    ]
}

REOPEN_TARGETS = (S.DRAFT, S.IN_APPRAISAL)


def _fmt(dt):
    return date_format(timezone.localtime(dt), "H:i \\n\\g\\à\\y d/m/Y") if dt else ""


STAGE_DEADLINE_FIELDS = {
    LockStage.SELF_ASSESSMENT: "self_assessment_deadline",
    LockStage.EXPLANATION: "explanation_deadline",
    LockStage.APPRAISAL_ROUND1: "appraisal_round1_deadline",
    LockStage.APPRAISAL_ROUND2: "appraisal_round2_deadline",
}

# Who has to act before each stage's deadline, by the status the assessment waits in.
STAGE_WAITING_STATUSES = {
    LockStage.SELF_ASSESSMENT: (S.DRAFT,),
    LockStage.EXPLANATION: (S.RETURNED,),
    LockStage.APPRAISAL_ROUND1: (S.SUBMITTED, S.IN_APPRAISAL),
    LockStage.APPRAISAL_ROUND2: (S.EXPLAINED,),
}


def stage_deadline(*, year, stage):
    field = STAGE_DEADLINE_FIELDS.get(stage)
    return getattr(year, field) if field else None


def _stage_deadline(year, stage, status):
    return stage_deadline(year=year, stage=stage)


def appraisal_stage_of(assessment):
    return LockStage.APPRAISAL_ROUND2 if assessment.status == S.EXPLAINED else LockStage.APPRAISAL_ROUND1


def stage_lock_reason(*, assessment, stage, now=None):
    """Why `stage` is closed for this commune now, or None when it is open."""
    now = now or timezone.now()
    year = assessment.year
    if stage == LockStage.SELF_ASSESSMENT and year.self_assessment_opens and now < year.self_assessment_opens:
        return f"Chưa đến thời gian tự đánh giá: mở từ {_fmt(year.self_assessment_opens)}."
    deadline = _stage_deadline(year, stage, assessment.status)
    if deadline is None or now <= deadline:
        return None
    exception = (
        LockException.objects.filter(assessment=assessment, stage=stage, until__gte=now).order_by("-until").first()
    )
    if exception:
        return None
    label = LockStage(stage).label.lower()
    return f"Đã hết hạn {label} lúc {_fmt(deadline)}."


def self_assessment_lock_reason(*, assessment, now=None):
    """Why the commune cannot edit its score sheet now, or None. Shown on every locked page."""
    status = assessment.status
    if status == S.DRAFT:
        return stage_lock_reason(assessment=assessment, stage=LockStage.SELF_ASSESSMENT, now=now)
    if status == S.SUBMITTED:
        return (f"Đã nộp lúc {_fmt(assessment.submitted_at)}. Có thể rút lại để chỉnh sửa "
                "cho đến khi bắt đầu thẩm định.")
    if status == S.RETURNED:
        return stage_lock_reason(assessment=assessment, stage=LockStage.EXPLANATION, now=now) or (
            f"Đã bị trả lại lúc {_fmt(assessment.returned_at)}: chỉ giải trình các tiêu chí được yêu cầu."
        )
    if status in (S.IN_APPRAISAL, S.EXPLAINED, S.APPRAISED):
        since = assessment.explained_at if status == S.EXPLAINED else assessment.appraisal_started_at
        return f"Đang thẩm định (từ {_fmt(since)})."
    if status == S.APPROVED:
        return f"Kết quả đã được phê duyệt lúc {_fmt(assessment.approved_at)}."
    return f"Kết quả đã được công bố lúc {_fmt(assessment.published_at)}."


def appraisal_lock_reason(*, assessment, now=None):
    """Why the appraiser cannot edit appraised scores now, or None."""
    status = assessment.status
    if status in (S.IN_APPRAISAL, S.EXPLAINED):
        return stage_lock_reason(assessment=assessment, stage=appraisal_stage_of(assessment), now=now)
    if status in (S.DRAFT, S.SUBMITTED):
        return "Xã chưa nộp hoặc chưa bắt đầu thẩm định."
    if status == S.RETURNED:
        return f"Đang chờ xã giải trình (trả lại lúc {_fmt(assessment.returned_at)})."
    if status == S.APPRAISED:
        return f"Đã hoàn thành thẩm định lúc {_fmt(assessment.appraised_at)}, chờ phê duyệt."
    if status == S.APPROVED:
        return f"Kết quả đã được phê duyệt lúc {_fmt(assessment.approved_at)}."
    return f"Kết quả đã được công bố lúc {_fmt(assessment.published_at)}."


def explanation_lock_reason(*, assessment, now=None):
    """Why the commune cannot write its explanations now, or None."""
    status = assessment.status
    if status == S.RETURNED:
        return stage_lock_reason(assessment=assessment, stage=LockStage.EXPLANATION, now=now)
    if status in (S.DRAFT, S.SUBMITTED, S.IN_APPRAISAL):
        return "Không có yêu cầu giải trình: cán bộ thẩm định chưa trả lại bản đánh giá."
    if status == S.EXPLAINED:
        return f"Đã nộp giải trình lúc {_fmt(assessment.explained_at)}, đang thẩm định vòng 2."
    if status == S.APPRAISED:
        return f"Đã hoàn thành thẩm định lúc {_fmt(assessment.appraised_at)}, chờ phê duyệt."
    if status == S.APPROVED:
        return f"Kết quả đã được phê duyệt lúc {_fmt(assessment.approved_at)}."
    return f"Kết quả đã được công bố lúc {_fmt(assessment.published_at)}."


def _check_preconditions(transition, assessment, early=False):
    from parindex.selectors.assignments import unfinished_assigned_leaves
    from parindex.services.quality import assessment_quality_check

    if transition.action == "submit":
        year = assessment.year
        if year.requires_leader_approval and assessment.leader_approved_at is None:
            raise WorkflowError("Lãnh đạo UBND xã chưa duyệt bản tự đánh giá nên chưa thể nộp.")
        report = assessment_quality_check(assessment=assessment)
        if report.errors:
            raise WorkflowError(
                f"Chưa thể nộp: còn {len(report.errors)} lỗi cần sửa (xem mục Kiểm tra trước khi nộp)."
            )
    elif transition.action == "return":
        unfinished = [] if early else unfinished_assigned_leaves(assessment=assessment)
        if unfinished:
            shown = ", ".join(unfinished[:10]) + (f" và {len(unfinished) - 10} tiêu chí khác" if len(unfinished) > 10
                                                  else "")
            raise WorkflowError(
                "Các lĩnh vực được phân công chưa thẩm định xong (còn: " + shown + "). "
                "Chỉ trả lại sớm khi đã xác nhận trả lại trước khi các sở, ngành chấm xong."
            )
        flagged = Score.objects.filter(assessment=assessment, flagged=True)
        if not flagged.exists():
            raise WorkflowError("Phải đánh dấu ít nhất một tiêu chí yêu cầu giải trình, kèm nội dung yêu cầu.")
        if flagged.filter(flag_comment="").exists():
            raise WorkflowError("Mỗi tiêu chí yêu cầu giải trình phải có nội dung yêu cầu.")
    elif transition.action == "resubmit":
        missing = Score.objects.filter(assessment=assessment, flagged=True, explanation="").select_related("item")
        codes = [s.item.code for s in missing]
        if codes:
            raise WorkflowError("Chưa giải trình các tiêu chí: " + ", ".join(codes) + ".")
    elif transition.action in ("complete", "approve"):
        missing = Score.objects.filter(
            assessment=assessment, not_applicable=False, appraised_score__isnull=True, round2_score__isnull=True
        ).select_related("item")
        codes = [s.item.code for s in missing[:10]]
        if codes:
            more = missing.count() - len(codes)
            tail = f" và {more} tiêu chí khác" if more > 0 else ""
            raise WorkflowError("Chưa chấm điểm thẩm định các tiêu chí: " + ", ".join(codes) + tail + ".")


def _stage_for(transition, assessment):
    if transition.permission in ("parindex.appraise_assessment", "parindex.appraise_items") \
            and transition.stage is not None:
        return appraisal_stage_of(assessment)
    return transition.stage


def _apply(*, assessment, action, actor, comment="", target=None, extra_updates=None, check_permission=True,
           early=False):
    transition = TRANSITIONS.get(action)
    target = target or transition.target
    if check_permission and not actor.has_perm(transition.permission, assessment):
        raise WorkflowError(f"Bạn không có quyền thực hiện thao tác “{transition.label}” với {assessment.unit}.")
    if assessment.status not in transition.sources:
        raise WorkflowError(
            f"Không thể {transition.label.lower()}: bản đánh giá đang ở trạng thái "
            f"“{assessment.get_status_display()}”."
        )
    stage = _stage_for(transition, assessment)
    if stage is not None:
        reason = stage_lock_reason(assessment=assessment, stage=stage)
        if reason:
            raise WorkflowError(f"Không thể {transition.label.lower()}: {reason}")
    _check_preconditions(transition, assessment, early=early)
    now = timezone.now()
    updates = {"status": target, "version": F("version") + 1}
    if transition.timestamp_field:
        updates[transition.timestamp_field] = now
    updates.update(extra_updates or {})
    return _move(assessment=assessment, action=action, actor=actor, target=target, updates=updates,
                 comment=comment, now=now)


def _move(*, assessment, action, actor, target, updates, comment, now):
    source = assessment.status
    with transaction.atomic():
        moved = Assessment.objects.filter(pk=assessment.pk, status=source).update(**updates)
        if not moved:
            current = Assessment.objects.get(pk=assessment.pk)
            raise WorkflowError(
                "Thao tác không thực hiện được vì bản đánh giá vừa được người khác cập nhật "
                f"(hiện ở trạng thái “{current.get_status_display()}”). Vui lòng tải lại trang."
            )
        assessment.refresh_from_db()
        event = ApprovalEvent.objects.create(
            assessment=assessment, actor=actor, action=action, from_status=source, to_status=target,
            comment=comment, totals=assessment_totals(assessment=assessment).as_snapshot(),
        )
        transaction.on_commit(lambda: _notify(event.pk))
    return assessment


def _notify(event_id):
    from parindex.services.notifications import event_notify

    event_notify(event_id=event_id)


def assessment_submit(*, assessment, actor, comment=""):
    return _apply(assessment=assessment, action="submit", actor=actor, comment=comment)


def assessment_withdraw(*, assessment, actor, comment=""):
    return _apply(assessment=assessment, action="withdraw", actor=actor, comment=comment,
                  extra_updates={"submitted_at": None})


def assessment_start_appraisal(*, assessment, actor, comment=""):
    return _apply(assessment=assessment, action="start_appraisal", actor=actor, comment=comment)


def assessment_return_for_explanation(*, assessment, actor, comment="", early=False):
    """Return to the commune for explanation. Where areas are assigned, only once every assigned
    leaf is appraised, unless the coordinator explicitly confirms returning early (`early`)."""
    if early:
        comment = ("Trả lại trước khi các lĩnh vực được phân công chấm xong. " + comment).strip()
    return _apply(assessment=assessment, action="return", actor=actor, comment=comment, early=early)


def assessment_resubmit(*, assessment, actor, comment=""):
    return _apply(assessment=assessment, action="resubmit", actor=actor, comment=comment)


def assessment_complete_appraisal(*, assessment, actor, comment=""):
    return _apply(assessment=assessment, action="complete", actor=actor, comment=comment)


def assessment_approve(*, assessment, actor, comment=""):
    return _apply(assessment=assessment, action="approve", actor=actor, comment=comment)


def assessment_leader_approve(*, assessment, actor):
    """The commune leader's sign-off before submission, where the year requires it."""
    if not actor.has_perm("parindex.leader_approve_assessment", assessment):
        raise WorkflowError("Chỉ lãnh đạo UBND xã được duyệt bản tự đánh giá.")
    if assessment.status != S.DRAFT:
        raise WorkflowError("Chỉ duyệt được bản tự đánh giá chưa nộp.")
    now = timezone.now()
    updates = {"leader_approved_at": now, "version": F("version") + 1, "status": S.DRAFT}
    return _move(assessment=assessment, action="leader_approve", actor=actor, target=S.DRAFT, updates=updates,
                 comment="", now=now)


def assessment_reopen(*, assessment, actor, reason, to_status=S.DRAFT):
    """An administrator reopens a closed step for one commune; the reason is mandatory."""
    if not actor.has_perm("parindex.reopen_assessment", assessment):
        raise WorkflowError("Chỉ quản trị cấp tỉnh được mở lại bản đánh giá.")
    if not (reason or "").strip():
        raise WorkflowError("Phải nêu lý do mở lại.")
    if to_status not in REOPEN_TARGETS:
        raise WorkflowError("Chỉ mở lại về “Đang tự đánh giá” hoặc “Đang thẩm định”.")
    if assessment.status in (S.DRAFT, S.PUBLISHED) or assessment.status == to_status:
        raise WorkflowError(
            f"Không thể mở lại bản đánh giá đang ở trạng thái “{assessment.get_status_display()}”."
        )
    now = timezone.now()
    updates = {"status": to_status, "version": F("version") + 1, "approved_at": None, "appraised_at": None}
    if to_status == S.DRAFT:
        updates.update(submitted_at=None, leader_approved_at=None)
    return _move(assessment=assessment, action="reopen", actor=actor, target=to_status, updates=updates,
                 comment=reason.strip(), now=now)


def results_publish(*, year, actor, decision_number, decision_date, assessments=None):
    """Publish the approved results of a year (or of the given assessments) under one decision.
    Published results are frozen. Returns the published assessments; refuses when none is approved."""
    if not actor.has_perm("parindex.publish_results", year):
        raise WorkflowError("Chỉ quản trị cấp tỉnh được công bố kết quả.")
    if not (decision_number or "").strip() or decision_date is None:
        raise WorkflowError("Phải nhập số và ngày của quyết định công bố.")
    candidates = assessments if assessments is not None else year.assessments.all()
    approved = [a for a in candidates if a.status == S.APPROVED]
    if not approved:
        raise WorkflowError("Chưa có bản đánh giá nào được phê duyệt để công bố.")
    published = []
    with transaction.atomic():
        for assessment in approved:
            published.append(_apply(
                assessment=assessment, action="publish", actor=actor,
                comment=f"Quyết định số {decision_number} ngày {decision_date:%d/%m/%Y}", check_permission=False,
            ))
        type(year).objects.filter(pk=year.pk).update(
            publication_decision_number=decision_number.strip(), publication_decision_date=decision_date,
        )
        if not year.assessments.exclude(status=S.PUBLISHED).exists():
            type(year).objects.filter(pk=year.pk).update(published_at=timezone.now())
    year.refresh_from_db()
    return published


def lock_exception_grant(*, assessment, actor, stage, until, reason):
    """A per-commune extension of one stage's deadline. Recorded in the assessment's history too,
    so that the approval events explain why a late action was accepted."""
    if not actor.has_perm("parindex.grant_lock_exception", assessment):
        raise WorkflowError("Chỉ quản trị cấp tỉnh được gia hạn.")
    if stage not in LockStage.values:
        raise WorkflowError("Giai đoạn gia hạn không hợp lệ.")
    if not (reason or "").strip():
        raise WorkflowError("Phải nêu lý do gia hạn.")
    if until is None or until <= timezone.now():
        raise WorkflowError("Thời điểm gia hạn phải ở tương lai.")
    if assessment.status == S.PUBLISHED:
        raise WorkflowError("Kết quả đã được công bố: không thể gia hạn.")
    with transaction.atomic():
        exception = LockException.objects.create(assessment=assessment, stage=stage, until=until,
                                                 reason=reason.strip(), granted_by=actor)
        ApprovalEvent.objects.create(
            assessment=assessment, actor=actor, action="lock_exception", from_status=assessment.status,
            to_status=assessment.status,
            comment=f"Gia hạn {LockStage(stage).label.lower()} đến {_fmt(until)}. Lý do: {exception.reason}",
            totals=assessment_totals(assessment=assessment).as_snapshot(),
        )
    return exception


def deadline_lock_record(*, assessment, stage, deadline, actor=None):
    """Record in the assessment's history that `stage` closed on it at `deadline` before anyone acted
    (the status does not change: the services already refuse late actions). The deadline job calls
    this once per assessment, stage and deadline; the people who missed it are told after commit."""
    label = LockStage(stage).label.lower()
    event = ApprovalEvent.objects.create(
        assessment=assessment, actor=actor, action="deadline_locked", from_status=assessment.status,
        to_status=assessment.status,
        comment=f"Đã hết hạn {label} lúc {_fmt(deadline)}: chức năng {label} đã bị khóa. "
                "Liên hệ quản trị cấp tỉnh nếu cần gia hạn.",
        totals=assessment_totals(assessment=assessment).as_snapshot(),
    )
    transaction.on_commit(lambda: _notify(event.pk))
    return event


def available_actions(*, assessment, user):
    """The transitions this user could try now (for buttons); the services still decide."""
    return [
        t for t in TRANSITIONS.values()
        if assessment.status in t.sources and t.action != "publish" and user.has_perm(t.permission, assessment)
    ]
