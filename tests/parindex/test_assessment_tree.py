"""The one read model of an assessment: tree, final scores, subtotals, last year, constant queries."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.models import AssessmentStatus, Evidence, Score
from parindex.selectors.tree import assessment_tree
from tests.factories import (
    AssessmentFactory,
    DocumentFactory,
    EvaluationYearFactory,
    build_criteria_set,
    fill_scores,
)

SMALL = ((Decimal("6"), 3), (Decimal("4"), 2))
LARGE = tuple((Decimal("12.5"), 12) for _ in range(8))  # 8 areas, 104 leaves


def _score(assessment, code):
    return Score.objects.get(assessment=assessment, item__code=code)


def test_it_gives_rows_in_set_order_with_areas_holding_their_rows(world):
    tree = assessment_tree(assessment=world.assessment_a)
    assert [r.item.code for r in tree.rows] == [
        "1", "1.1", "1.2", "1.3", "1.3.1", "1.3.2", "2", "2.1", "2.2", "2.2.1", "2.2.2",
    ]
    assert [a.item.code for a in tree.areas] == ["1", "2"]
    assert [r.item.code for r in tree.areas[0].rows] == ["1.1", "1.2", "1.3", "1.3.1", "1.3.2"]
    assert [r.item.code for r in tree.leaves] == ["1.1", "1.2", "1.3.1", "1.3.2", "2.1", "2.2.1", "2.2.2"]
    heading = next(r for r in tree.rows if r.item.code == "1.3")
    assert heading.is_heading and heading.leaf is None and not heading.is_area


def test_final_is_round_2_where_it_exists_else_round_1(world):
    a = world.assessment_a
    fill_scores(a, self_share=Decimal("1"), appraised_share=Decimal("0.5"))
    Score.objects.filter(pk=_score(a, "1.1").pk).update(flagged=True, flag_comment="Bổ sung", round2_score=Decimal("2"))
    rows = {r.item.code: r for r in assessment_tree(assessment=a).leaves}
    assert (rows["1.1"].self_score, rows["1.1"].round1, rows["1.1"].round2, rows["1.1"].final) == (
        Decimal("2.00"), Decimal("1.00"), Decimal("2.00"), Decimal("2.00"))
    assert rows["1.2"].final == Decimal("1.00") and rows["1.2"].round2 is None


def test_changed_points_lost_and_gap_are_per_applicable_leaf(world):
    a = world.assessment_a
    fill_scores(a, self_share=Decimal("1"), appraised_share=Decimal("0.5"))
    Score.objects.filter(pk=_score(a, "1.2").pk).update(appraised_score=Decimal("2"))
    Score.objects.filter(pk=_score(a, "1.1").pk).update(not_applicable=True, self_score=None, appraised_score=None)
    rows = {r.item.code: r for r in assessment_tree(assessment=a).leaves}
    assert rows["2.1"].changed and rows["2.1"].points_lost == Decimal("1.00") and rows["2.1"].self_gap == Decimal("1.00")
    assert not rows["1.2"].changed and rows["1.2"].points_lost == Decimal("0.00")
    assert not rows["1.1"].applicable and rows["1.1"].points_lost is None and not rows["1.1"].changed


def test_subtotals_and_area_totals_agree_with_the_totals_selector(world):
    a = world.assessment_a
    fill_scores(a, self_share=Decimal("1"), appraised_share=Decimal("0.5"))
    Score.objects.filter(pk=_score(a, "1.3.2").pk).update(not_applicable=True, self_score=None)
    tree = assessment_tree(assessment=a)
    criterion = next(r for r in tree.rows if r.item.code == "1.3")
    assert (criterion.applicable_max, criterion.self_total, criterion.final_total) == (
        Decimal("1.00"), Decimal("1.00"), Decimal("0.50"))
    for area in tree.areas:
        assert area.final_total == sum(r.final for r in area.rows if r.applicable)
        assert area.applicable_max == sum(r.max_points for r in area.rows if r.applicable)
    assert tree.totals.appraised_total == sum(area.final_total for area in tree.areas)


def test_last_year_is_the_previous_published_final_for_the_same_code(world):
    a = world.assessment_a
    previous = AssessmentFactory(unit=a.unit, status=AssessmentStatus.PUBLISHED,
                                 year=EvaluationYearFactory(year=a.year.year - 1, scope=world.province))
    fill_scores(previous, appraised_share=Decimal("0.5"))
    Score.objects.filter(pk=_score(previous, "2.1").pk).update(flagged=True, flag_comment="x", round2_score=Decimal("1.5"))
    rows = {r.item.code: r for r in assessment_tree(assessment=a).leaves}
    assert rows["2.1"].last_year == Decimal("1.50")
    assert rows["1.1"].last_year == Decimal("1.00")
    assert assessment_tree(assessment=a, with_last_year=False).leaves[0].last_year is None


def test_flagged_only_keeps_flagged_leaves_and_the_headings_above_them(world):
    a = world.assessment_a
    Score.objects.filter(pk=_score(a, "2.2.1").pk).update(flagged=True, flag_comment="Thiếu tài liệu")
    rows = assessment_tree(assessment=a).flagged_only()
    assert [r.item.code for r in rows] == ["2", "2.2", "2.2.1"]


def test_evidence_is_split_by_stage(world):
    a = world.assessment_a
    score = _score(a, "1.1")
    document = DocumentFactory(assessment=a)
    Evidence.objects.create(score=score, document=document, locator="trang 1")
    Evidence.objects.create(score=score, document=document, locator="trang 2", stage=Evidence.Stage.EXPLANATION)
    row = next(r for r in assessment_tree(assessment=a).leaves if r.item.code == "1.1")
    assert [e.locator for e in row.self_evidence] == ["trang 1"]
    assert [e.locator for e in row.explanation_evidence] == ["trang 2"]
    assert not row.needs_evidence


def test_it_uses_the_same_queries_for_7_and_104_items(world):
    counts = []
    for shape, year in ((SMALL, 2025), (LARGE, 2026)):
        evaluation_year = EvaluationYearFactory(year=year, scope=world.province, criteria_set=build_criteria_set(shape))
        assessment = AssessmentFactory(year=evaluation_year, unit=world.commune_a)
        fill_scores(assessment, appraised_share=Decimal("0.5"))
        document = DocumentFactory(assessment=assessment)
        for score in assessment.scores.all():
            Evidence.objects.create(score=score, document=document)
        with CaptureQueriesContext(connection) as ctx:
            tree = assessment_tree(assessment=assessment)
            seen = [(leaf.final, leaf.evidence, leaf.item.code, leaf.score.updated_by) for leaf in tree.leaves]
        assert len(seen) == assessment.scores.count()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 10
