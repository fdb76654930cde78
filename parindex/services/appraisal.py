"""Saving the appraisal sheet: appraised scores, comments and flags (round 1), round-2 scores after
the commune's explanation, and the bonus and penalty points.

A save is all or nothing: every value is validated first and the errors come back per field (in
Vietnamese) so the page can show them beside what the appraiser typed. Each changed score is written
only if still at the version the page showed (parindex.services.score_writes: one conditional UPDATE
that only one of two racing saves can win), the assessment only if still in its status, and the
history of every changed score is kept."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from parindex.errors import ParIndexError
from parindex.models import Assessment, AssessmentStatus, Score
from parindex.numbers import display_points, parse_id, points_validate
from parindex.selectors.assignments import appraisable_item_ids, leaf_responsibility
from parindex.services.history import assessment_history_record
from parindex.services.score_writes import (
    ScoreChange,
    StaleScores,
    conflicts_of,
    scores_write,
    stale_split,
    version_parse,
)
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

    def __init__(self, message, field_errors=None, conflict=False, conflicts=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        self.conflict = conflict  # someone saved (or moved the assessment) since the page was loaded
        self.conflicts = conflicts or []  # [ScoreConflict]: the items saved by someone else, both values


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


FIELD_LABELS = {
    "appraised_score": "điểm", "appraisal_comment": "nhận xét", "flagged": "yêu cầu giải trình",
    "flag_comment": "nội dung yêu cầu", "round2_score": "điểm vòng 2", "round2_comment": "nhận xét vòng 2",
}


def appraisal_value_text(name, value):
    if name in ("appraised_score", "round2_score"):
        return "(chưa chấm)" if value is None else f"{display_points(value)} điểm"
    if name == "flagged":
        return "có" if value else "không"
    text = value or "(trống)"
    return f"“{text if len(text) <= 80 else text[:77] + '…'}”"


def _describe(conflicts):
    for c in conflicts:
        c.theirs_text = "; ".join(f"{FIELD_LABELS[k]}: {appraisal_value_text(k, getattr(c.score, k))}" for k in c.yours)
        c.yours_text = "; ".join(f"{FIELD_LABELS[k]}: {appraisal_value_text(k, v)}" for k, v in c.yours.items())
    return conflicts


def conflict_refusal(conflicts):
    codes = ", ".join(c.score.item.code for c in conflicts)
    return AppraisalSheetError(
        f"Chưa lưu: tiêu chí {codes} vừa được người khác cập nhật. Không có gì bị ghi đè; các giá trị bạn nhập "
        "vẫn còn trên trang: chọn giữ giá trị của bạn hay của họ rồi lưu lại.",
        conflict=True, conflicts=_describe(conflicts),
    )


def _changes(scores, raw_scores, rnd, errors, allowed, responsibility):
    """(changes with the item version the page sent, changes without one: guarded by the sheet's)."""
    changes, unversioned = [], []
    for raw_id, raw in raw_scores.items():
        try:
            score = scores[parse_id(raw_id)]
        except KeyError:
            raise AppraisalSheetError("Dữ liệu gửi lên có tiêu chí không thuộc bản đánh giá này.") from None
        if score.item_id not in allowed:
            raise AppraisalSheetError(_not_yours(score, responsibility))
        new = _round1(score, raw, errors) if rnd == 1 else _round2(score, raw, errors)
        diff = {k: v for k, v in new.items() if getattr(score, k) != v}
        if not diff or raw.get("keep") == "theirs":
            continue
        version = version_parse(raw.get("version"))
        if version is None:
            unversioned.append(ScoreChange(score=score, version=score.version, values=diff))
        else:
            changes.append(ScoreChange(score=score, version=version, values=diff))
    return changes, unversioned


def appraisal_sheet_save(*, assessment, actor, values, expected_version=None):
    """Save the appraiser's sheet, or a single item (autosave): one rule.

    `values` = {"scores": {score_id: {"version": the score's version on the page, "appraised_score": "6,5",
    "appraisal_comment": "...", "flagged": bool, "flag_comment": "...", "accept": bool, "keep": "theirs"
    to leave it as stored} (round 1) or {"round2_score", "round2_comment", "accept"} (round 2)},
    "bonus_points": "1", "penalty_points": "0"}. Only the keys given are changed. Each changed score is
    written only if still at its version; bonus and penalty points (the assessment's own values) only
    if the assessment is still at `expected_version`.
    Raises AppraisalSheetError; returns AppraisalSaveResult with the refreshed assessment."""
    if not actor.has_perm("parindex.appraise_items", assessment):
        raise AppraisalSheetError(f"Bạn không có quyền thẩm định bản đánh giá của {assessment.unit}.")
    reason = appraisal_lock_reason(assessment=assessment)
    if reason:
        raise AppraisalSheetError(f"Không thể lưu: {reason}")
    rnd = appraisal_round(assessment)
    raw_scores = values.get("scores") or {}
    ids = [i for i in map(parse_id, raw_scores) if i is not None]
    scores = {s.id: s for s in Score.objects.filter(assessment=assessment, id__in=ids).select_related("item")}
    responsibility = leaf_responsibility(year=assessment.year, unit_id=assessment.unit_id)
    allowed = appraisable_item_ids(user=actor, assessment=assessment, responsibility=responsibility)
    errors = {}
    changes, unversioned = _changes(scores, raw_scores, rnd, errors, allowed, responsibility)
    if not actor.has_perm("parindex.appraise_assessment", assessment) and any(
            name in values for name in ("bonus_points", "penalty_points")):
        raise AppraisalSheetError("Điểm thưởng, điểm trừ do cơ quan chủ trì thẩm định (Sở Nội vụ) chấm.")
    extra = _extra_points(assessment, values, errors)
    if errors:
        raise AppraisalSheetError(
            f"Chưa lưu: có {len(errors)} ô chưa hợp lệ, xem các ô được đánh dấu đỏ.", errors,
        )
    extra = {k: v for k, v in extra.items() if getattr(assessment, k) != v}
    changes, stale = stale_split(changes)
    if stale:
        raise conflict_refusal(conflicts_of(stale))
    sheet_version = None
    if extra or unversioned:
        # Values that carry no item version (bonus and penalty points; callers that send only the
        # sheet's version) are written only if nothing on the sheet changed since it was loaded.
        sheet_version = version_parse(expected_version)
        if sheet_version is None:
            raise AppraisalSheetError("Thiếu phiên bản của bảng điểm: hãy tải lại trang.", conflict=True)
    now = timezone.now()
    try:
        with transaction.atomic():
            # Conditional on the status: a save made from a page loaded before a transition (approve,
            # publish…), or racing one, changes nothing. The UPDATE also locks the assessment row, so
            # racing saves of one commune run one after the other.
            moved = Assessment.objects.filter(pk=assessment.pk, status=assessment.status)
            if sheet_version is not None:
                moved = moved.filter(version=sheet_version)
            if not moved.update(version=F("version") + 1, updated_at=now, **extra):
                raise AppraisalSheetError(CONFLICT_MESSAGE, conflict=True)
            if extra:
                assessment_history_record(assessment_id=assessment.pk, actor=actor, reason="Điểm thưởng, điểm trừ")
            changed = scores_write(changes=changes + unversioned, actor=actor, now=now,
                                   reason=f"Thẩm định vòng {rnd}",
                                   stamp={"appraisal_updated_by": actor, "appraisal_updated_at": now})
    except StaleScores:
        raise conflict_refusal(conflicts_of(changes + unversioned)) from None
    assessment.refresh_from_db()
    return AppraisalSaveResult(assessment=assessment, changed=changed)


CONFLICT_MESSAGE = (
    "Chưa lưu: bảng điểm vừa được người khác cập nhật hoặc đã chuyển trạng thái. "
    "Các giá trị bạn nhập vẫn còn trên trang; hãy kiểm tra các ô được tô vàng rồi lưu lại."
)


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
