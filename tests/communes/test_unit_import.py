"""Importing the official list of communes after the 1/7/2025 reorganisation from Excel: whole or
not at all, every refused row named in Vietnamese, lineage to the predecessors recorded."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from communes.models import Unit, UnitKind, UnitLineage
from communes.unit_import import UnitImportError, units_import_xlsx
from tests.communes.xlsx import xlsx_file
from tests.factories import CommuneFactory, UnitFactory, UserFactory

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Đơn vị trước sắp xếp", "Hiệu lực từ", "Văn bản sắp xếp"]


def _import(world, rows, actor=None, header=HEADER):
    return units_import_xlsx(source=xlsx_file(rows, header=header, name="don-vi.xlsx"),
                             actor=actor or world.admin, province=world.province)


def test_it_creates_the_new_communes_under_the_province_with_their_lineage(world):
    created = _import(world, [
        ["N1", "Ba Tơ", "xã", "C1, C2", "01/07/2025", "Nghị quyết 1234/NQ-UBTVQH15"],
        ["N2", "Trà Câu", "Phường", "", "", ""],
    ])
    ba_to = Unit.objects.get(code="N1")
    assert [u.code for u in created] == ["N1", "N2"]
    assert ba_to.parent == world.province and ba_to.kind == UnitKind.COMMUNE
    assert ba_to.valid_from == dt.date(2025, 7, 1)
    assert {u.code for u in ba_to.predecessors.all()} == {"C1", "C2"}
    assert UnitLineage.objects.get(successor=ba_to, predecessor=world.commune_a).decision.startswith("Nghị quyết")
    world.commune_a.refresh_from_db()
    assert world.commune_a.valid_to == dt.date(2025, 6, 30)
    assert Unit.objects.get(code="N2").kind == UnitKind.WARD


def test_it_refuses_the_whole_list_naming_every_bad_row(world):
    other_province = UnitFactory(name="Bình Định", kind=UnitKind.PROVINCE, code="52")
    elsewhere = CommuneFactory(code="X9", parent=UnitFactory(code="D9", kind=UnitKind.DISTRICT, parent=other_province))
    with pytest.raises(UnitImportError) as exc:
        _import(world, [
            ["N1", "Ba Tơ", "xã", "C1", "", ""],
            ["N1", "Ba Tơ 2", "xã", "", "", ""],
            ["C2", "Trùng", "xã", "", "", ""],
            ["N3", "", "huyện", "C9, X9", "31/02/2025", ""],
        ])
    assert exc.value.errors == [
        "Dòng 3: mã “N1” bị trùng với dòng 2.",
        "Dòng 4: đã có đơn vị mã “C2” (xã Ba Động).",
        "Dòng 5: thiếu “Tên đơn vị”.",
        "Dòng 5: loại “huyện” không hợp lệ: xã, phường, đặc khu hoặc thị trấn.",
        "Dòng 5: ngày hiệu lực “31/02/2025” không hợp lệ (dd/mm/yyyy).",
        "Dòng 5: đơn vị trước sắp xếp “C9” không tồn tại.",
        f"Dòng 5: “X9” ({elsewhere.display_name}) không phải đơn vị cấp xã của tỉnh Quảng Ngãi.",
    ]
    assert not Unit.objects.filter(code="N1").exists()


def test_it_names_the_missing_columns(world):
    with pytest.raises(UnitImportError, match="thiếu cột “Loại”"):
        _import(world, [["N1", "Ba Tơ"]], header=["Mã đơn vị", "Tên đơn vị"])


@pytest.mark.parametrize("persona", ["appraiser", "officer_a"])
def test_it_refuses_anyone_but_the_province_administrator(world, persona):
    with pytest.raises(UnitImportError, match="không quản lý"):
        _import(world, [["N1", "Ba Tơ", "xã", "", "", ""]], actor=getattr(world, persona))


def test_the_command_imports_a_file(world, tmp_path):
    UserFactory(username="root", is_superuser=True)
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(xlsx_file([["N7", "Sơn Mai", "xã", "C3", "", ""]], header=HEADER).getvalue())
    call_command("import_units", str(path), "--province", "51")
    assert Unit.objects.get(code="N7").predecessors.get() == world.commune_c
    with pytest.raises(CommandError, match="Dòng 2: đã có đơn vị mã “N7”"):
        call_command("import_units", str(path), "--province", "51")
