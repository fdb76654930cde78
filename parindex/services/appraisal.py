"""Saving the appraisal sheet: appraised scores, comments and flags (round 1), round-2 scores after
the commune's explanation, and the bonus and penalty points.

A save is all or nothing: every value is validated first and the errors come back per field (in
Vietnamese) so the page can show them beside what the appraiser typed. Writes are guarded by the
assessment's version (optimistic concurrency: a conditional UPDATE that only one of two racing saves
can win) and by its status, and keep the history of every changed score."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from parindex.errors import ParIndexError
from parindex.models import Assessment, AssessmentStatus, Score
from parindex.numbers import parse_id, points_validate
from parindex.selectors.assignments import appraisable_item_ids, leaf_responsibility
from parindex.services.history import assessment_history_record
from parindex.services.workflow import (
    TRANSITIONS,
    WorkflowError,
    appraisal_lock_reason,
    assessment_approve,
    assessment_start_appraisal,
)

S = AssessmentStatus
ROUND1_FIELDS = ("appraised_score", "appraisal_comment", "flagged", "flag_comment")
ROUND2_FIELDS = ("round2_score", "round2_comment")
COMMENT_MAX = 4000


class AppraisalSheetError(ParIndexError):
    """A refused save. `field_errors` maps (score id, field name) or an assessment field name to a
    Vietnamese message; `message` says what happened overall."""

    def __init__(self, message, field_errors=None, conflict=False):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        self.conflict = conflict  # someone saved (or moved the assessment) since the page was loaded


@dataclass
class AppraisalSaveResult:
    assessment: Assessment
    changed: list = field(default_factory=list)


def appraisal_round(assessment):
    """1 while the appraiser scores the submitted sheet, 2 after the commune explained, else None."""
    if assessment.status == S.IN_APPRAISAL:
        return 1
    if assessment.status == S.EXPLAINED:
        return 2
    return None


def points_parse(raw, *, maximum, label="Điểm thẩm định"):
    """A points value typed by the appraiser; the rule is parindex.numbers.points_validate."""
    return points_validate(raw, maximum=maximum, label=label)


def _text(raw):
    return str(raw or "").strip()


def _truthy(raw):
    return raw in (True, "1", "on", "true", "yes")


def _round1(score, raw, errors):
    """New round-1 values for one score, or errors recorded."""
    new = {}
    if "appraised_score" in raw or _truthy(raw.get("accept")):
        if _truthy(raw.get("accept")):
            new["appraised_score"] = score.self_score
        else:
            try:
                new["appraised_score"] = points_parse(raw.get("appraised_score"), maximum=score.max_points)
            except ValueError as exc:
                errors[(score.id, "appraised_score")] = str(exc)
    if "appraisal_comment" in raw:
        new["appraisal_comment"] = _text(raw["appraisal_comment"])
    if "flagged" in raw or "flag_comment" in raw:
        flagged = _truthy(raw.get("flagged", score.flagged))
        comment = _text(raw.get("flag_comment", score.flag_comment))
        if flagged and not comment:
            errors[(score.id, "flag_comment")] = "Nêu nội dung yêu cầu xã giải trình cho tiêu chí này."
        new["flagged"], new["flag_comment"] = flagged, comment
    for name in ("appraisal_comment", "flag_comment"):
        if len(new.get(name, "")) > COMMENT_MAX:
            errors[(score.id, name)] = f"Tối đa {COMMENT_MAX} ký tự."
    return new


def _round2(score, raw, errors):
    touched = any(k in raw for k in ("round2_score", "round2_comment", "accept"))
    if not touched:
        return {}
    # Round 2 scores the flagged items, and the items left without a round-1 score when the
    # coordinator returned the commune before every assigned area was appraised.
    if not score.flagged and score.appraised_score is not None:
        errors[(score.id, "round2_score")] = "Vòng 2 chỉ chấm lại các tiêu chí đã yêu cầu giải trình."
        return {}
    new = {}
    if _truthy(raw.get("accept")):
        new["round2_score"] = score.self_score
    elif "round2_score" in raw:
        try:
            new["round2_score"] = points_parse(raw.get("round2_score"), maximum=score.max_points)
        except ValueError as exc:
            errors[(score.id, "round2_score")] = str(exc)
    if "round2_comment" in raw:
        new["round2_comment"] = _text(raw["round2_comment"])
        if len(new["round2_comment"]) > COMMENT_MAX:
            errors[(score.id, "round2_comment")] = f"Tối đa {COMMENT_MAX} ký tự."
    return new


def _extra_points(assessment, values, errors):
    """Bonus and penalty points exist only where the criteria set gives them a cap."""
    criteria_set = assessment.year.criteria_set
    updates = {}
    for name, cap, label in (("bonus_points", criteria_set.bonus_cap, "Điểm thưởng"),
                             ("penalty_points", criteria_set.penalty_cap, "Điểm trừ")):
        if name not in values:
            continue
        if cap is None:
            errors[name] = f"Bộ chỉ số này không có {label.lower()}."
            continue
        try:
            value = points_parse(values[name], maximum=cap, label=label)
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        updates[name] = value if value is not None else 0
    return updates


def appraisal_sheet_save(*, assessment, actor, values, expected_version):
    """Save the appraiser's sheet.

    `values` = {"scores": {score_id: {"appraised_score": "6,5", "appraisal_comment": "...",
    "flagged": bool, "flag_comment": "...", "accept": bool} (round 1) or {"round2_score", "round2_comment",
    "accept"} (round 2)}, "bonus_points": "1", "penalty_points": "0"}. Only the keys given are changed.
    Raises AppraisalSheetError; returns AppraisalSaveResult with the refreshed assessment."""
    if not actor.has_perm("parindex.appraise_items", assessment):
        raise AppraisalSheetError(f"Bạn không có quyền thẩm định bản đánh giá của {assessment.unit}.")
    reason = appraisal_lock_reason(assessment=assessment)
    if reason:
        raise AppraisalSheetError(f"Không thể lưu: {reason}")
    expected_version = parse_id(expected_version)
    if expected_version is None:
        raise AppraisalSheetError("Thiếu phiên bản của bảng điểm: hãy tải lại trang.", conflict=True) from None
    rnd = appraisal_round(assessment)
    scores = {s.id: s for s in Score.objects.filter(assessment=assessment).select_related("item")}
    responsibility = leaf_responsibility(year=assessment.year, unit_id=assessment.unit_id)
    allowed = appraisable_item_ids(user=actor, assessment=assessment, responsibility=responsibility)
    errors, pending, item_versions = {}, [], {}
    for raw_id, raw in (values.get("scores") or {}).items():
        try:
            score = scores[parse_id(raw_id)]
        except KeyError:
            raise AppraisalSheetError("Dữ liệu gửi lên có tiêu chí không thuộc bản đánh giá này.") from None
        if score.item_id not in allowed:
            raise AppraisalSheetError(_not_yours(score, responsibility))
        new = _round1(score, raw, errors) if rnd == 1 else _round2(score, raw, errors)
        changes = {k: v for k, v in new.items() if getattr(score, k) != v}
        if changes:
            pending.append((score, changes))
            if raw.get("version") not in (None, ""):
                item_versions[score.id] = raw["version"]
    if not actor.has_perm("parindex.appraise_assessment", assessment) and any(
            name in values for name in ("bonus_points", "penalty_points")):
        raise AppraisalSheetError("Điểm thưởng, điểm trừ do cơ quan chủ trì thẩm định (Sở Nội vụ) chấm.")
    extra = _extra_points(assessment, values, errors)
    if errors:
        raise AppraisalSheetError(
            f"Chưa lưu: có {len(errors)} ô chưa hợp lệ, xem các ô được đánh dấu đỏ.", errors,
        )
    # Per-item versions when every changed item carries one (the sheet sends them): appraisers of
    # different areas then never block each other. Otherwise the whole sheet's version decides.
    per_item = bool(pending) and not extra and len(item_versions) == len(pending)
    now = timezone.now()
    with transaction.atomic():
        # The status is always part of the condition (a save from a page loaded before a transition
        # changes nothing); the UPDATE also locks the assessment row, so that racing saves of one
        # commune run one after the other and each sees the other's committed item versions.
        moved = Assessment.objects.filter(pk=assessment.pk, status=assessment.status)
        if not per_item:
            moved = moved.filter(version=expected_version)
        if not moved.update(version=F("version") + 1, updated_at=now, **extra):
            raise AppraisalSheetError(CONFLICT_MESSAGE, conflict=True)
        if per_item:
            _item_versions_check(item_versions)
        if any(getattr(assessment, name) != value for name, value in extra.items()):
            assessment_history_record(assessment_id=assessment.pk, actor=actor, reason="Điểm thưởng, điểm trừ")
        changed = []
        fields = set()
        for score, changes in pending:
            for name, value in changes.items():
                setattr(score, name, value)
            fields.update(changes)
            score.updated_by, score.updated_at = actor, now
            score.version = F("version") + 1
            changed.append(score)
        if changed:
            bulk_update_with_history(
                changed, Score, sorted(fields | {"updated_by", "updated_at", "version"}), batch_size=500,
                default_user=actor, default_change_reason=f"Thẩm định vòng {rnd}",
            )
            versions = dict(Score.objects.filter(pk__in=[s.pk for s in changed]).values_list("pk", "version"))
            for score in changed:
                score.version = versions[score.pk]
    assessment.refresh_from_db()
    return AppraisalSaveResult(assessment=assessment, changed=changed)


CONFLICT_MESSAGE = (
    "Chưa lưu: bảng điểm vừa được người khác cập nhật hoặc đã chuyển trạng thái. "
    "Các giá trị bạn nhập vẫn còn trên trang; hãy kiểm tra các ô được tô vàng rồi lưu lại."
)


def _item_versions_check(item_versions):
    """Refuse (as a conflict) when one of the items was saved by someone else since it was loaded."""
    expected = {score_id: parse_id(v) for score_id, v in item_versions.items()}
    if None in expected.values():
        raise AppraisalSheetError("Thiếu phiên bản của tiêu chí: hãy tải lại trang.", conflict=True) from None
    current = dict(Score.objects.filter(pk__in=expected).values_list("pk", "version"))
    if any(current.get(score_id) != version for score_id, version in expected.items()):
        raise AppraisalSheetError(CONFLICT_MESSAGE, conflict=True)


def _not_yours(score, responsibility):
    assignment = responsibility.by_leaf.get(score.item_id)
    who = assignment.assignee_name if assignment is not None else "cơ quan chủ trì thẩm định (Sở Nội vụ)"
    return (f"Tiêu chí {score.item.code} không thuộc phần được phân công cho bạn: "
            f"tiêu chí này do {who} thẩm định.")


def area_accept_values(*, assessment, area_id):
    """The values that accept the self-scores of every leaf of one area (for the round in progress).
    Leaves without a self-score (survey, external data, not applicable) are left out."""
    rnd = appraisal_round(assessment)
    scores = Score.objects.filter(assessment=assessment, item__area_id=area_id, not_applicable=False,
                                  self_score__isnull=False)
    if rnd == 2:
        scores = scores.filter(Q(flagged=True) | Q(appraised_score__isnull=True))
    return {s.id: {"accept": True} for s in scores}


BULK_ACTIONS = {"start_appraisal": assessment_start_appraisal, "approve": assessment_approve}


@dataclass
class BulkOutcome:
    assessment: Assessment
    ok: bool
    message: str


def appraisal_bulk_apply(*, actor, assessments, action):
    """Apply one workflow action to many assessments, each in its own transaction through the workflow
    service: one commune's refusal (wrong state, missing scores, a deadline) does not stop the others.
    Returns one outcome per assessment, with the service's own message when refused."""
    service = BULK_ACTIONS.get(action)
    if service is None:
        raise WorkflowError("Thao tác hàng loạt không hợp lệ.")
    label = TRANSITIONS[action].label
    outcomes = []
    for assessment in assessments:
        try:
            service(assessment=assessment, actor=actor)
        except WorkflowError as exc:
            outcomes.append(BulkOutcome(assessment, False, exc.message))
        else:
            outcomes.append(BulkOutcome(assessment, True, f"Đã thực hiện: {label.lower()}."))
    return outcomes
