"""The shipped Quảng Ngãi set: it imports, passes every check, and has exactly the seed's shape."""

from decimal import Decimal
from pathlib import Path

import pytest

from parindex.models import CriteriaSet, Item, ItemLevel, ScoringMethod
from parindex.services.criteria import (
    criteria_set_check,
    criteria_set_import,
    criteria_set_structure,
    criteria_set_summary,
)

SHIPPED = Path(__file__).resolve().parents[2] / "parindex" / "data" / "criteria" / "quang-ngai-673-2023.yaml"

# domain.md §1, from the seed report: (code, name, criteria, sub-criteria, max points)
SEED_SHAPE = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", 6, 2, Decimal("11.5")),
    ("2", "Lĩnh vực Cải cách thể chế", 4, 7, Decimal("11")),
    ("3", "Lĩnh vực Cải cách thủ tục hành chính", 6, 17, Decimal("21")),
    ("4", "Lĩnh vực Cải cách tổ chức bộ máy", 4, 7, Decimal("9")),
    ("5", "Lĩnh vực Cải cách chế độ công vụ", 6, 12, Decimal("14")),
    ("6", "Lĩnh vực Cải cách tài chính công", 3, 10, Decimal("12")),
    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 3, 19, Decimal("17.5")),
    ("8", "Đánh giá tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội của tỉnh", 2, 3, Decimal("4")),
]


@pytest.fixture
def shipped(db):
    return criteria_set_import(source=SHIPPED)


def test_it_imports_the_shipped_set_without_problems(shipped):
    assert shipped.code == "quang-ngai-xa-673-2023"
    assert criteria_set_check(criteria_set=shipped) == []


def test_the_shipped_set_has_8_areas_34_criteria_77_sub_criteria_and_100_points(shipped):
    summary = criteria_set_summary(criteria_set=shipped)
    assert (summary["areas"], summary["criteria"], summary["sub_criteria"]) == (8, 34, 77)
    assert summary["max_points"] == Decimal("100")
    assert shipped.declared_total == Decimal("100")
    assert Item.objects.filter(criteria_set=shipped, level=ItemLevel.CRITERION).count() == 34
    assert Item.objects.filter(criteria_set=shipped, level=ItemLevel.SUB_CRITERION).count() == 77


def test_each_area_has_the_seed_name_counts_and_max_points(shipped):
    structure = criteria_set_structure(criteria_set=shipped)
    assert [(r["code"], r["name"], r["criteria"], r["sub_criteria"], r["max_points"]) for r in structure] \
        == SEED_SHAPE


def test_the_set_carries_its_decision_bands_and_unit_kinds(shipped):
    assert shipped.decision_number == "673/QĐ-UBND"
    assert shipped.decision_date.isoformat() == "2023-07-17"
    assert shipped.issuer == "UBND tỉnh Quảng Ngãi"
    assert shipped.unit_kinds == ["xa", "phuong", "thi_tran"]
    assert shipped.precision == 2
    assert [(b["label"], b["min_percent"]) for b in shipped.bands] == [
        ("Tốt", 90), ("Khá", 80), ("Trung bình", 65), ("Yếu", 0)]
    assert "mẫu" in shipped.note and "xếp loại" in shipped.note


def test_every_item_below_area_level_is_marked_sample_and_the_set_too(shipped):
    assert shipped.is_sample
    below_areas = Item.objects.filter(criteria_set=shipped).exclude(level=ItemLevel.AREA)
    assert below_areas.count() == 111
    assert not below_areas.filter(is_sample=False).exists()
    assert not Item.objects.filter(criteria_set=shipped, level=ItemLevel.AREA, is_sample=True).exists()


def test_every_leaf_is_self_scored_with_a_positive_max_in_quarter_points_and_guides(shipped):
    leaves = list(Item.objects.filter(criteria_set=shipped, is_leaf=True))
    assert len(leaves) == 34 + 77 - sum(1 for i in Item.objects.filter(criteria_set=shipped,
                                                                         level=ItemLevel.CRITERION, is_leaf=False))
    for leaf in leaves:
        assert leaf.max_points > 0, leaf.code
        assert (leaf.max_points * 4) == (leaf.max_points * 4).to_integral_value(), leaf.code
        assert leaf.scoring_method == ScoringMethod.SELF
        assert leaf.scoring_guide and leaf.evidence_guide, leaf.code
    assert any(leaf.allows_not_applicable for leaf in leaves)


def test_every_parent_is_not_a_leaf_and_points_at_its_area(shipped):
    for item in Item.objects.filter(criteria_set=shipped).select_related("area"):
        assert item.is_leaf == (not item.children.exists()), item.code
        assert item.area.code == item.code.split(".")[0]
    assert CriteriaSet.objects.count() == 1
