"""YAML → database → XLSX → database (and → YAML → database) leaves the set exactly as it was."""

import io

import pytest
from openpyxl import load_workbook

from parindex.models import CriteriaSet, CrossCheckRule, Item
from parindex.services.criteria import criteria_set_export, criteria_set_import

from .test_criteria_shipped import SHIPPED

SET_FIELDS = ["code", "name", "unit_kinds", "decision_number", "decision_date", "issuer", "declared_total",
              "precision", "bands", "bonus_cap", "penalty_cap", "status", "is_sample", "note"]
RULE_FIELDS = ["order", "kind", "severity", "figure", "threshold", "limit", "message"]
ITEM_FIELDS = ["code", "name", "level", "order", "sort_key", "max_points", "is_leaf", "scoring_guide",
               "evidence_guide", "allows_not_applicable", "scoring_method", "requires_evidence", "is_sample"]


def snapshot(criteria_set):
    criteria_set = CriteriaSet.objects.get(pk=criteria_set.pk)
    items = Item.objects.filter(criteria_set=criteria_set).select_related("parent", "area").order_by("sort_key")
    return (
        {f: getattr(criteria_set, f) for f in SET_FIELDS},
        [
            {**{f: getattr(i, f) for f in ITEM_FIELDS},
             "parent": i.parent.code if i.parent_id else None, "area": i.area.code}
            for i in items
        ],
        [
            {"item": r.item.code, **{f: getattr(r, f) for f in RULE_FIELDS}}
            for r in CrossCheckRule.objects.filter(item__criteria_set=criteria_set).select_related("item")
            .order_by("item__sort_key", "order")
        ],
    )


def export(criteria_set, fmt, name):
    buffer = io.BytesIO()
    criteria_set_export(criteria_set=criteria_set, destination=buffer, fmt=fmt)
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.fixture
def shipped(db):
    return criteria_set_import(source=SHIPPED)


def test_yaml_to_db_to_xlsx_to_db_changes_nothing(shipped):
    before = snapshot(shipped)
    assert len(before[1]) == 119
    assert len(before[2]) == 13  # the cross-check rules the sample declares
    workbook = export(shipped, "xlsx", "bo-chi-so.xlsx")
    again = criteria_set_import(source=workbook, replace=True)
    assert again.pk == shipped.pk
    assert snapshot(again) == before


def test_the_xlsx_also_imports_into_an_empty_database(shipped, tmp_path):
    before = snapshot(shipped)
    path = tmp_path / "bo-chi-so.xlsx"
    criteria_set_export(criteria_set=shipped, destination=str(path), fmt="xlsx")
    CriteriaSet.objects.all().delete()
    assert snapshot(criteria_set_import(source=str(path))) == before


def test_yaml_export_round_trips_too(shipped):
    before = snapshot(shipped)
    again = criteria_set_import(source=export(shipped, "yaml", "bo-chi-so.yaml"), replace=True)
    assert snapshot(again) == before


def test_a_set_with_other_metadata_and_flags_round_trips(shipped):
    # Values the shipped file does not exercise: caps, a fractional band, survey scoring, no sample flag.
    CriteriaSet.objects.filter(pk=shipped.pk).update(
        bonus_cap="5.5", penalty_cap="3", bands=[{"label": "A", "min_percent": 82.5}, {"label": "B", "min_percent": 0}],
        status="draft", is_sample=False, decision_date=None, note="",
    )
    Item.objects.filter(criteria_set=shipped, code="8.1.1").update(
        scoring_method="survey", requires_evidence=False, is_sample=False, scoring_guide="", evidence_guide="")
    Item.objects.filter(criteria_set=shipped, code="7.2.6").update(scoring_method="external")
    shipped.refresh_from_db()
    before = snapshot(shipped)
    assert criteria_set_import(source=export(shipped, "xlsx", "a.xlsx"), replace=True)
    assert snapshot(shipped) == before
    assert criteria_set_import(source=export(shipped, "yaml", "a.yaml"), replace=True)
    assert snapshot(shipped) == before


def test_the_xlsx_has_the_circulated_columns_and_a_metadata_sheet(shipped):
    workbook = load_workbook(export(shipped, "xlsx", "a.xlsx"))
    items, info, checks = workbook.worksheets
    assert checks.title == "Kiểm tra chéo"
    header = [c.value for c in items[1]]
    assert header[:5] == ["Mã", "Nội dung", "Điểm tối đa", "Hướng dẫn chấm điểm", "Tài liệu kiểm chứng"]
    assert {"Cách chấm", "Cho phép không áp dụng", "Bắt buộc kiểm chứng", "Nội dung mẫu"} <= set(header)
    assert items.max_row == 1 + 119
    first_area = [c.value for c in items[2]][:3]
    assert first_area == ["1", "Công tác chỉ đạo, điều hành CCHC", 11.5]
    meta = {row[0]: row[1] for row in info.iter_rows(min_row=2, values_only=True)}
    assert meta["Mã bộ chỉ số"] == "quang-ngai-xa-673-2023"
    assert meta["Số, ký hiệu quyết định"] == "673/QĐ-UBND"
    assert meta["Ngày ban hành"] == "17/07/2023"
    assert meta["Xếp loại"] == "Tốt ≥ 90; Khá ≥ 80; Trung bình ≥ 65; Yếu ≥ 0"
    assert meta["Nội dung mẫu"] == "Có"
