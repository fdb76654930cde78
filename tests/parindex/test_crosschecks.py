"""The criteria set's cross-check rules fire on the demo: in the pre-submit check (errors block the
submission), and in the one selector the score sheet and the appraisal sheet show beside each item."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from parindex.models import (
    Assessment,
    CheckKind,
    CheckSeverity,
    Document,
    Evidence,
    PlanTask,
    PlanTaskStatus,
    Score,
    ScoringMethod,
    ServiceFigures,
)
from parindex.selectors.crosschecks import APPRAISAL, assessment_cross_checks
from parindex.services.quality import assessment_quality_check
from parindex.services.workflow import WorkflowError, assessment_submit

from .test_demo import _demo_loaded, demo  # noqa: F401 - fixtures

D = Decimal
User = get_user_model()


@pytest.fixture
def ba_dong(demo):  # noqa: F811
    return Assessment.objects.select_related("year", "unit").get(unit__code="21196", year__year=2024)


@pytest.fixture
def ba_thanh(demo):  # noqa: F811
    return Assessment.objects.select_related("year", "unit").get(unit__code="21199", year__year=2024)


def figure_findings(result, code):
    return [f for f in result.findings if f.item.code == code and f.rule.kind == CheckKind.FIGURE]


def score_all_at_maximum(assessment):
    """The sheet of the issue: every self-scored item at its maximum, with a note, one with evidence."""
    Score.objects.filter(assessment=assessment, item__scoring_method=ScoringMethod.SELF).update(
        self_score=F("max_points"), self_note="Đã thực hiện đầy đủ.")
    first = Score.objects.filter(assessment=assessment).order_by("item__sort_key").first()
    document = Document.objects.create(assessment=assessment, doc_type="QD", number_symbol="12/QĐ-UBND",
                                       issued_on="2024-01-05", summary="Kế hoạch CCHC năm 2024")
    Evidence.objects.create(score=first, document=document)


def online_rate_81_04(assessment):
    # 2.026 of 2.500 dossiers online: 81,04%, under the year's 95% ("Chưa đạt").
    ServiceFigures.objects.create(assessment=assessment, dossiers_received=2500, dossiers_online=2026)


def test_ba_dong_scoring_7_2_1_at_its_maximum_under_the_online_target_is_warned(ba_dong):
    assert ba_dong.unit.name == "Ba Động"
    score_all_at_maximum(ba_dong)
    online_rate_81_04(ba_dong)
    report = assessment_quality_check(assessment=ba_dong)
    online = [f for f in report.warnings if f.item_code == "7.2.1" and "trực tuyến" in f.message]
    assert len(online) == 1
    assert "81,04%" in online[0].message and "ngưỡng 95,00%" in online[0].message
    assert online[0].message.startswith("Tỷ lệ hồ sơ trực tuyến chưa đạt chỉ tiêu")


def test_ba_dong_items_without_evidence_are_each_warned(ba_dong):
    score_all_at_maximum(ba_dong)
    self_scored = Score.objects.filter(assessment=ba_dong, item__scoring_method=ScoringMethod.SELF).count()
    report = assessment_quality_check(assessment=ba_dong)
    missing = [f for f in report.warnings if f.message.startswith("Có điểm nhưng chưa gắn tài liệu kiểm chứng")]
    assert len(missing) == self_scored - 1 == 85
    assert report.ok  # warnings only: the notes explain how each item was scored


def test_the_online_rate_above_the_target_lets_the_maximum_pass(ba_dong):
    score_all_at_maximum(ba_dong)
    ServiceFigures.objects.create(assessment=ba_dong, dossiers_received=946, dossiers_online=946)
    assert not figure_findings(assessment_cross_checks(assessment=ba_dong), "7.2.1")


def test_missing_figures_are_named_when_the_maximum_is_claimed(ba_dong):
    score_all_at_maximum(ba_dong)
    result = assessment_cross_checks(assessment=ba_dong)
    online, = figure_findings(result, "7.2.1")
    assert "chưa nhập tỷ lệ hồ sơ trực tuyến" in online.message
    # Without plan tasks the plan rules (one of them an error) cannot be judged: they warn, never block.
    plan = figure_findings(result, "1.1.2")
    assert [f.rule.severity for f in plan] == ["error", "warning"]
    assert all("chưa nhập tỷ lệ hoàn thành kế hoạch" in f.message and not f.is_error for f in plan)


def test_a_plan_below_80_percent_with_points_is_an_error_that_blocks_submission(ba_dong):
    score_all_at_maximum(ba_dong)
    PlanTask.objects.bulk_create([
        PlanTask(assessment=ba_dong, order=i, content=f"Nhiệm vụ {i}",
                 status=PlanTaskStatus.DONE if i <= 7 else PlanTaskStatus.NOT_DONE) for i in range(1, 11)
    ])
    report = assessment_quality_check(assessment=ba_dong)
    plan = [f for f in report.errors if f.item_code == "1.1.2"]
    assert len(plan) == 1 and "dưới 80%" in plan[0].message and "70,00%" in plan[0].message
    with pytest.raises(WorkflowError, match="lỗi cần sửa"):
        assessment_submit(assessment=ba_dong, actor=User.objects.get(username="canbo.badong"))


def test_ba_thanh_at_the_plan_maximum_with_57_of_58_tasks_done_is_warned(ba_thanh):
    Score.objects.filter(assessment=ba_thanh, item__code="1.1.2").update(self_score=D("1.5"), appraised_score=D("1.5"))
    result = assessment_cross_checks(assessment=ba_thanh, stage=APPRAISAL)
    plan = figure_findings(result, "1.1.2")
    assert [f.severity for f in plan] == [CheckSeverity.WARNING]
    assert "98,28%" in plan[0].message and "ngưỡng 100,00%" in plan[0].message


def test_the_appraisal_sheet_reads_the_appraisers_score(ba_thanh):
    # The commune claimed the maximum, the appraiser cut it to 1,25: on the appraisal sheet the rule is met.
    Score.objects.filter(assessment=ba_thanh, item__code="1.1.2").update(self_score=D("1.5"), appraised_score=D("1.25"))
    assert figure_findings(assessment_cross_checks(assessment=ba_thanh), "1.1.2")
    assert not figure_findings(assessment_cross_checks(assessment=ba_thanh, stage=APPRAISAL), "1.1.2")
