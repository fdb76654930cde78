"""The import_criteria and export_criteria management commands."""

import pytest
from django.core.management import CommandError, call_command

from parindex.models import CriteriaSet, Item
from parindex.services.criteria import criteria_set_import

from .test_criteria_shipped import SHIPPED


def test_import_criteria_prints_the_tree_summary(db, capsys):
    call_command("import_criteria", str(SHIPPED))
    out = capsys.readouterr().out
    assert "8 lĩnh vực / 34 tiêu chí / 77 tiêu chí thành phần / 100 điểm" in out
    assert "7. Xây dựng và phát triển chính quyền điện tử, chính quyền số: 3 tiêu chí, 19 tiêu chí thành phần, " \
           "17,50 điểm" in out
    assert "nội dung mẫu" in out
    assert CriteriaSet.objects.get().items.count() == 119


def test_import_criteria_prints_the_errors_and_fails(db, tmp_path, capsys):
    broken = tmp_path / "hong.yaml"
    broken.write_text(SHIPPED.read_text(encoding="utf-8").replace("max_points: 17.5", "max_points: 18"),
                      encoding="utf-8")
    with pytest.raises(CommandError, match="lỗi"):
        call_command("import_criteria", str(broken))
    err = capsys.readouterr().err
    assert "(mã 7): tổng điểm tối đa của các mục con (17,50) khác điểm tối đa của mục (18,00)" in err
    assert not Item.objects.exists()


def test_import_criteria_replace_overwrites_a_draft(db, capsys):
    criteria_set_import(source=SHIPPED)
    with pytest.raises(CommandError):
        call_command("import_criteria", str(SHIPPED))
    assert "--replace" in capsys.readouterr().err
    call_command("import_criteria", str(SHIPPED), "--replace")
    assert CriteriaSet.objects.count() == 1 and Item.objects.count() == 119


def test_export_criteria_writes_xlsx_and_yaml_that_import_back(db, tmp_path, capsys):
    criteria_set_import(source=SHIPPED)
    for name in ("bo.xlsx", "bo.yaml"):
        call_command("export_criteria", "quang-ngai-xa-673-2023", str(tmp_path / name))
        assert "Đã xuất" in capsys.readouterr().out
        CriteriaSet.objects.all().delete()
        call_command("import_criteria", str(tmp_path / name))
        assert Item.objects.count() == 119


def test_export_criteria_refuses_an_unknown_code_or_extension(db, tmp_path):
    criteria_set_import(source=SHIPPED)
    with pytest.raises(CommandError, match="Không có bộ chỉ số mã “khong-co”"):
        call_command("export_criteria", "khong-co", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match=".yaml, .yml hoặc .xlsx"):
        call_command("export_criteria", "quang-ngai-xa-673-2023", str(tmp_path / "x.csv"))
