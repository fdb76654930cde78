"""A set used by a year is frozen: every edit is refused and goes into a copy instead."""

from decimal import Decimal

import pytest

from parindex.models import CriteriaSet, CriteriaSetStatus, Item, ItemLevel
from parindex.services.criteria import (
    CriteriaImportError,
    CriteriaSetError,
    CriteriaSetFrozenError,
    criteria_set_check,
    criteria_set_copy,
    criteria_set_import,
    criteria_set_update,
    item_delete,
    item_save,
)
from tests.factories import EvaluationYearFactory, ProvinceFactory

from .test_criteria_roundtrip import snapshot
from .test_criteria_shipped import SHIPPED


@pytest.fixture
def shipped(db):
    return criteria_set_import(source=SHIPPED)


@pytest.fixture
def frozen(shipped):
    EvaluationYearFactory(year=2024, criteria_set=shipped, scope=ProvinceFactory())
    return shipped


def test_every_edit_of_a_frozen_set_is_refused_with_the_year_named(frozen):
    before = snapshot(frozen)
    item = Item.objects.get(criteria_set=frozen, code="1.2")
    attempts = [
        lambda: criteria_set_update(criteria_set=frozen, name="Đổi tên"),
        lambda: item_save(item=Item(criteria_set=frozen, code="1.7", name="Mới", max_points=Decimal("1"))),
        lambda: item_delete(item=item),
    ]
    item.name = "Sửa"
    attempts.append(lambda: item_save(item=item))
    for attempt in attempts:
        with pytest.raises(CriteriaSetFrozenError) as info:
            attempt()
        assert info.value.message == ("Bộ chỉ số đã được sử dụng cho kỳ đánh giá năm 2024 (Quảng Ngãi) nên không "
                                      "thể sửa; hãy tạo bản sao.")
    assert snapshot(frozen) == before


def test_importing_over_a_frozen_set_is_refused_even_with_replace(frozen):
    before = snapshot(frozen)
    with pytest.raises(CriteriaImportError) as info:
        criteria_set_import(source=SHIPPED, replace=True)
    assert isinstance(info.value, CriteriaSetFrozenError)
    assert "hãy tạo bản sao" in info.value.errors[0]
    assert snapshot(frozen) == before


def test_a_copy_is_an_editable_draft_with_every_item(frozen):
    copy = criteria_set_copy(criteria_set=frozen, code="quang-ngai-xa-2025", name="Bộ chỉ số 2025")
    assert (copy.status, copy.copied_from, copy.is_frozen) == (CriteriaSetStatus.DRAFT, frozen, False)
    original, copied = snapshot(frozen), snapshot(copy)
    assert copied[1] == original[1]
    assert copied[0]["declared_total"] == original[0]["declared_total"] and copied[0]["bands"] == original[0]["bands"]
    assert criteria_set_check(criteria_set=copy) == []
    assert not Item.objects.filter(criteria_set=copy).exclude(area__criteria_set=copy).exists()
    assert not Item.objects.filter(criteria_set=copy, parent__isnull=False).exclude(parent__criteria_set=copy).exists()

    criteria_set_update(criteria_set=copy, name="Bộ chỉ số 2025 (sửa)")
    leaf = Item.objects.get(criteria_set=copy, code="8.2")
    leaf.name = "Thực hiện chỉ tiêu kinh tế - xã hội"
    item_save(item=leaf)
    assert Item.objects.get(criteria_set=copy, code="8.2").name == "Thực hiện chỉ tiêu kinh tế - xã hội"
    assert Item.objects.get(criteria_set=frozen, code="8.2").name != leaf.name


def test_a_copy_needs_a_free_well_formed_code(frozen):
    with pytest.raises(CriteriaSetError, match="Đã có bộ chỉ số mã"):
        criteria_set_copy(criteria_set=frozen, code=frozen.code, name="x")
    with pytest.raises(CriteriaSetError, match="chữ thường không dấu"):
        criteria_set_copy(criteria_set=frozen, code="Bộ 2025", name="x")
    assert CriteriaSet.objects.count() == 1


def test_item_save_keeps_the_tree_derived_fields_true(shipped):
    # Splitting a scored criterion into a sub-criterion makes the criterion a parent.
    new = item_save(item=Item(criteria_set=shipped, code="8.2.1", name="Chỉ tiêu thu ngân sách",
                              max_points=Decimal("2")))
    assert (new.level, new.parent.code, new.area.code, new.is_leaf) == (ItemLevel.SUB_CRITERION, "8.2", "8", True)
    assert Item.objects.get(criteria_set=shipped, code="8.2").is_leaf is False
    assert criteria_set_check(criteria_set=shipped) == []
    # Renumbering a criterion renumbers its children; removing the child makes it a leaf again.
    parent = Item.objects.get(criteria_set=shipped, code="8.2")
    parent.code = "8.3"
    item_save(item=parent)
    assert Item.objects.filter(criteria_set=shipped, code="8.3.1").exists()
    item_delete(item=Item.objects.get(criteria_set=shipped, code="8.3.1"))
    assert Item.objects.get(criteria_set=shipped, code="8.3").is_leaf is True
    assert criteria_set_check(criteria_set=shipped) == []


def test_item_save_refuses_a_code_without_parent_or_malformed(shipped):
    for code, message in [("9.1", "mục cha mã 9"), ("1.x", "không đúng dạng"), ("1.2", "đã có")]:
        with pytest.raises(CriteriaSetError, match=message):
            item_save(item=Item(criteria_set=shipped, code=code, name="x", max_points=Decimal("1")))


def test_the_check_reports_what_breaks_a_stored_set(shipped):
    Item.objects.filter(criteria_set=shipped, code="3.4.1").update(max_points=Decimal("3"))
    Item.objects.filter(criteria_set=shipped, code="2").update(max_points=Decimal("10"))
    Item.objects.filter(criteria_set=shipped, code="5.6").update(is_leaf=False, level=ItemLevel.SUB_CRITERION)
    problems = criteria_set_check(criteria_set=shipped)
    assert "Mục 3.4: tổng điểm tối đa của các mục con (6,00) khác điểm tối đa của mục (5,00)." in problems
    assert "Mục 2: tổng điểm tối đa của các mục con (11,00) khác điểm tối đa của mục (10,00)." in problems
    assert "Tổng điểm tối đa của các lĩnh vực (99,00) khác tổng điểm của bộ chỉ số (100,00)." in problems
    assert any(p.startswith("Mục 5.6: cấp “Tiêu chí thành phần” không khớp") for p in problems)
    assert any(p.startswith("Mục 5.6: đang đánh dấu không được chấm điểm") for p in problems)
