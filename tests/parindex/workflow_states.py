"""Bring an assessment to any workflow state through the real services (never by writing the status),
so that every test starts from a state the product itself can reach."""

import datetime as dt
from decimal import Decimal

from parindex.models import AssessmentStatus, Score
from parindex.services.appraisal import appraisal_sheet_save
from parindex.services.explanation import explanation_save
from parindex.services.workflow import (
    assessment_approve,
    assessment_complete_appraisal,
    assessment_resubmit,
    assessment_return_for_explanation,
    assessment_start_appraisal,
    assessment_submit,
    results_publish,
)
from tests.factories import fill_scores
from tests.parindex.versions import versioned

S = AssessmentStatus
CENT = Decimal("0.01")


def appraise_all(assessment, actor, share=Decimal("1")):
    """Give every leaf an appraised score of `share` × max through the appraisal service."""
    scores = Score.objects.filter(assessment=assessment)
    values = {"scores": {s.id: {"appraised_score": str((s.max_points * share).quantize(CENT)), "version": s.version}
                         for s in scores}}
    return appraisal_sheet_save(assessment=assessment, actor=actor, values=values,
                                expected_version=assessment.version).assessment


def flag_first(assessment, actor, comment="Đề nghị bổ sung quyết định ban hành kế hoạch"):
    score = Score.objects.filter(assessment=assessment).order_by("item__sort_key").first()
    values = {"scores": {score.id: {"flagged": True, "flag_comment": comment, "version": score.version}}}
    return appraisal_sheet_save(assessment=assessment, actor=actor, values=values,
                                expected_version=assessment.version).assessment, score


def drive(assessment, target, *, officer, appraiser, admin=None, self_share=Decimal("1"),
          appraised_share=Decimal("1"), through_explanation=False, not_applicable=()):
    """Move `assessment` from draft to `target`. APPRAISED / APPROVED / PUBLISHED go through the
    explanation round when `through_explanation` (always for RETURNED / EXPLAINED). The commune declares
    the leaves coded in `not_applicable` not applicable (they must allow it)."""
    a = assessment
    if target == S.DRAFT:
        return a
    fill_scores(a, self_share=self_share)
    Score.objects.filter(assessment=a, item__code__in=not_applicable).update(not_applicable=True, self_score=None)
    a.refresh_from_db()
    a = assessment_submit(assessment=a, actor=officer)
    if target == S.SUBMITTED:
        return a
    a = assessment_start_appraisal(assessment=a, actor=appraiser)
    a = appraise_all(a, appraiser, appraised_share)
    if target == S.IN_APPRAISAL:
        return a
    if target in (S.RETURNED, S.EXPLAINED) or through_explanation:
        a, score = flag_first(a, appraiser)
        a = assessment_return_for_explanation(assessment=a, actor=appraiser)
        if target == S.RETURNED:
            return a
        a = explanation_save(assessment=a, actor=officer, values=versioned({score.id: {"explanation": "Đã ban hành Quyết định 193/QĐ-UBND"}})).assessment
        a = assessment_resubmit(assessment=a, actor=officer)
        if target == S.EXPLAINED:
            return a
    a = assessment_complete_appraisal(assessment=a, actor=appraiser)
    if target == S.APPRAISED:
        return a
    a = assessment_approve(assessment=a, actor=appraiser)
    if target == S.APPROVED:
        return a
    results_publish(year=a.year, actor=admin, decision_number="12/QĐ-UBND", decision_date=dt.date(2025, 2, 10),
                    assessments=[a])
    a.refresh_from_db()
    return a
