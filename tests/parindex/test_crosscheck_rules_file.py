"""Cross-check rules travel with the criteria set file: YAML `checks:` and the "Kiểm tra chéo" sheet,
refused row by row with the reason in Vietnamese, and checked again by the database."""

import pytest
from django.db import IntegrityError, transaction

from parindex.models import CheckKind, CriteriaSet, CrossCheckRule, Item
from parindex.services.criteria import criteria_set_copy

from .test_criteria_import_errors import (
    YAML,
    assert_error,
    edited_workbook,
    import_errors,
    line_of,
    replace_once,
    workbook_bytes,  # noqa: F401 - fixture
    yaml_file,
)
from .test_criteria_roundtrip import shipped  # noqa: F401 - fixture

RULE_721 = """            checks:
              - kind: figure
                severity: warning
                figure: online_rate
"""


def test_the_shipped_set_declares_rules_for_plan_online_rates_and_evidence(shipped):  # noqa: F811
    rules = {(r.item.code, r.kind, r.figure) for r in CrossCheckRule.objects.select_related("item")}
    assert ("1.1.2", CheckKind.FIGURE, "plan_completion") in rules
    assert ("7.2.1", CheckKind.FIGURE, "online_rate") in rules
    assert ("7.2.5", CheckKind.FIGURE, "digitised_rate") in rules
    assert {code for code, kind, _ in rules if kind == CheckKind.EVIDENCE} == {str(n) for n in range(1, 9)}
    assert all(r.message.strip() for r in CrossCheckRule.objects.all())


def test_a_yaml_rule_with_bad_values_is_refused_with_its_line(db):
    text = replace_once(YAML, RULE_721, RULE_721.replace("figure: online_rate", "figure: ty_le_la")
                        .replace("severity: warning", "severity: nghiêm trọng"))
    text = replace_once(text, "        severity: warning\n        limit: 3\n", "        severity: warning\n")
    line = line_of(text, "figure: ty_le_la") - 2
    errors = import_errors(yaml_file(text))
    assert_error(errors, f"Dòng {line} (quy tắc kiểm tra của mã 7.2.1)", "số liệu so sánh “ty_le_la” không hợp lệ")
    assert_error(errors, f"Dòng {line}", "mức độ “nghiêm trọng” không hợp lệ")
    assert_error(errors, "mã 7)", "cần mức tăng tối đa (limit)")
    assert not CriteriaSet.objects.exists()


def test_a_limit_at_the_items_maximum_is_refused_because_it_never_fires(db):
    text = replace_once(YAML, RULE_721, RULE_721 + "                limit: 1.5\n")
    assert_error(import_errors(yaml_file(text)), "mã 7.2.1", "không nhỏ hơn điểm tối đa", "không bao giờ")


def test_a_sheet_row_names_its_row_and_an_unknown_item(workbook_bytes):  # noqa: F811
    def edit(workbook):
        sheet = workbook["Kiểm tra chéo"]
        sheet.append(["9.9", "evidence", "warning", None, None, None, "Thiếu tài liệu."])
        sheet.append(["3.1", "số liệu", "lỗi", None, None, None, "Thiếu số liệu so sánh."])
        sheet.append(["3.2", "evidence", "warning", None, None, None, None])
        edit.last = sheet.max_row

    errors = import_errors(edited_workbook(workbook_bytes, edit))
    last = edit.last
    assert_error(errors, f"Trang “Kiểm tra chéo”, dòng {last - 2} (mã 9.9)", "không có mục mã “9.9”")
    assert_error(errors, f"Trang “Kiểm tra chéo”, dòng {last - 1} (mã 3.1)", "cần số liệu so sánh")
    assert_error(errors, f"Trang “Kiểm tra chéo”, dòng {last} (mã 3.2)", "thiếu thông báo")
    assert not CriteriaSet.objects.exists()


def test_a_copy_of_the_set_keeps_its_rules(shipped):  # noqa: F811
    copy = criteria_set_copy(criteria_set=shipped, code="ban-sao", name="Bản sao")
    assert CrossCheckRule.objects.filter(item__criteria_set=copy).count() == \
        CrossCheckRule.objects.filter(item__criteria_set=shipped).count()


@pytest.mark.parametrize("fields", [
    {"kind": "figure", "figure": ""},
    {"kind": "evidence", "limit": "1"},
    {"kind": "last_year", "limit": None},
    {"kind": "warning-ish"},
    {"kind": "evidence", "message": ""},
    {"kind": "figure", "figure": "online_rate", "threshold": "120"},
])
def test_the_database_refuses_a_rule_without_the_parameters_of_its_kind(shipped, fields):  # noqa: F811
    item = Item.objects.get(criteria_set=shipped, code="7.2.1")
    values = {"item": item, "message": "Thông báo.", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        CrossCheckRule.objects.create(**values)
