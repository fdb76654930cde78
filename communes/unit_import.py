"""Importing the official list of communes after a reorganisation (sắp xếp đơn vị hành chính): one
row per new unit with its code, name, kind and the codes of the units merged into it. The list is
taken whole or not at all; every refused row is named with its reason, in Vietnamese."""

import datetime as dt
import re

from django.db import transaction

from parindex.errors import ParIndexError

from .models import COMMUNE_KINDS, Unit, UnitKind, UnitLineage
from .services import _fold, _read_rows, actor_may_manage_unit

UNIT_COLUMNS = {
    "code": "Mã đơn vị",
    "name": "Tên đơn vị",
    "kind": "Loại",
    "predecessors": "Đơn vị trước sắp xếp",
    "valid_from": "Hiệu lực từ",
    "decision": "Văn bản sắp xếp",
}
UNIT_REQUIRED = ("code", "name", "kind")
DEFAULT_EFFECTIVE_DATE = dt.date(2025, 7, 1)
KIND_BY_LABEL = {_fold(k.label): k for k in UnitKind if k in COMMUNE_KINDS} | {
    k.value: k for k in UnitKind if k in COMMUNE_KINDS}


class UnitImportError(ParIndexError):
    """The list was refused as a whole; `errors` are Vietnamese lines naming the row and the reason."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


def _date(text):
    text = (text or "").strip().split(" ")[0]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _check(number, record, *, province, existing, seen, errors):
    def error(text):
        errors.append(f"Dòng {number}: {text}")

    for key in UNIT_REQUIRED:
        if not record.get(key):
            error(f"thiếu “{UNIT_COLUMNS[key]}”.")
    code = record.get("code", "")
    if code:
        if code in existing:
            error(f"đã có đơn vị mã “{code}” ({existing[code].display_name}).")
        elif code in seen:
            error(f"mã “{code}” bị trùng với dòng {seen[code]}.")
        seen.setdefault(code, number)
    kind = KIND_BY_LABEL.get(_fold(record.get("kind")))
    if record.get("kind") and kind is None:
        error(f"loại “{record['kind']}” không hợp lệ: xã, phường, đặc khu hoặc thị trấn.")
    valid_from = DEFAULT_EFFECTIVE_DATE
    if record.get("valid_from"):
        valid_from = _date(record["valid_from"])
        if valid_from is None:
            error(f"ngày hiệu lực “{record['valid_from']}” không hợp lệ (dd/mm/yyyy).")
    predecessors = []
    for pcode in [c for c in re.split(r"[,;\s]+", record.get("predecessors", "")) if c]:
        unit = existing.get(pcode)
        if pcode == code:
            error(f"đơn vị “{code}” không thể là đơn vị trước sắp xếp của chính nó.")
        elif unit is None:
            error(f"đơn vị trước sắp xếp “{pcode}” không tồn tại.")
        elif not unit.path.startswith(province.path) or not unit.is_commune:
            error(f"“{pcode}” ({unit.display_name}) không phải đơn vị cấp xã của {province.display_name}.")
        else:
            predecessors.append(unit)
    return {"code": code, "name": record.get("name", ""), "kind": kind, "valid_from": valid_from,
            "predecessors": predecessors, "decision": record.get("decision", "")[:200]}


def units_import_xlsx(*, source, actor, province):
    """Create the new communes of `province` listed in the workbook, each under the province (no
    districts since 1/7/2025), with its lineage; the predecessors end the day before. Returns the
    created units; raises UnitImportError listing every refused row (nothing is created then)."""
    if not actor_may_manage_unit(actor=actor, unit=province):
        raise UnitImportError([f"Bạn không quản lý {province.display_name}."])
    rows = _read_rows(source, columns=UNIT_COLUMNS, required=UNIT_REQUIRED, error=UnitImportError, what="đơn vị")
    if not rows:
        raise UnitImportError(["Danh sách không có dòng nào dưới dòng tiêu đề."])
    codes = {r.get("code") for _, r in rows} | {
        c for _, r in rows for c in re.split(r"[,;\s]+", r.get("predecessors", "")) if c}
    existing = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    errors, seen = [], {}
    planned = [_check(n, r, province=province, existing=existing, seen=seen, errors=errors) for n, r in rows]
    if errors:
        raise UnitImportError(errors)
    created = []
    with transaction.atomic():
        for plan in planned:
            unit = Unit.objects.create(code=plan["code"], name=plan["name"], kind=plan["kind"], parent=province,
                                       valid_from=plan["valid_from"])
            for predecessor in plan["predecessors"]:
                UnitLineage.objects.create(successor=unit, predecessor=predecessor,
                                           effective_date=plan["valid_from"], decision=plan["decision"])
                end = plan["valid_from"] - dt.timedelta(days=1)
                if predecessor.valid_to is None or predecessor.valid_to > end:
                    Unit.objects.filter(pk=predecessor.pk).update(valid_to=end)
            created.append(unit)
    return created
