"""Criteria sets as data: import from YAML or XLSX, export, consistency checks, copy and the freeze.

A set is read into plain nodes first (one per item, with where it came from: a line of the YAML
file or a row of the sheet), every problem is collected, and only a clean file reaches the
database, in one transaction. The same structural check runs on a set already in the database
(criteria_set_check), so the admin and the importer agree on what "consistent" means.
"""

import datetime as dt
import io
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from communes.models import COMMUNE_KINDS, UnitKind
from parindex.errors import ParIndexError
from parindex.models import CriteriaSet, CriteriaSetStatus, Item, ItemLevel, ScoringMethod
from parindex.numbers import decimal_places, format_points, parse_points
from parindex.services import crosschecks
from parindex.spreadsheets import workbook_save
from parindex.xlsx_import import XlsxImportError, sheet_rows, xlsx_workbook

CODE_RE = re.compile(r"^[1-9]\d*(\.[1-9]\d*)*$")
LEVEL_BY_DEPTH = {0: ItemLevel.AREA, 1: ItemLevel.CRITERION, 2: ItemLevel.SUB_CRITERION}
MAX_DEPTH = len(LEVEL_BY_DEPTH) - 1
POINT_PLACES = 2  # Item.max_points has 2 decimal places: a third would be silently rounded.
POINT_LIMIT = Decimal("100000")  # 7 digits, 2 of them decimals
CODE_MAX_LENGTH = 20

ITEM_COLUMNS = [
    # (key, header as provinces write it, width)
    ("code", "Mã", 9),
    ("name", "Nội dung", 60),
    ("max_points", "Điểm tối đa", 11),
    ("scoring_guide", "Hướng dẫn chấm điểm", 60),
    ("evidence_guide", "Tài liệu kiểm chứng", 45),
    ("scoring_method", "Cách chấm", 18),
    ("allows_not_applicable", "Cho phép không áp dụng", 12),
    ("requires_evidence", "Bắt buộc kiểm chứng", 12),
    ("is_sample", "Nội dung mẫu", 10),
]
ITEMS_SHEET = "Bộ chỉ số"
META_SHEET = "Thông tin bộ chỉ số"
META_FIELDS = [
    ("code", "Mã bộ chỉ số"),
    ("name", "Tên bộ chỉ số"),
    ("unit_kinds", "Áp dụng cho loại đơn vị"),
    ("decision_number", "Số, ký hiệu quyết định"),
    ("decision_date", "Ngày ban hành"),
    ("issuer", "Cơ quan ban hành"),
    ("decision_title", "Trích yếu quyết định"),
    ("period", "Giai đoạn áp dụng"),
    ("declared_total", "Tổng điểm tối đa"),
    ("precision", "Số chữ số thập phân khi hiển thị"),
    ("bands", "Xếp loại"),
    ("bonus_cap", "Điểm thưởng tối đa"),
    ("penalty_cap", "Điểm trừ tối đa"),
    ("status", "Trạng thái"),
    ("is_sample", "Nội dung mẫu"),
    ("note", "Ghi chú"),
]
COMMUNE_KIND_CODES = [k.value for k in UnitKind if k in COMMUNE_KINDS]
TRUE_WORDS = {"có", "co", "x", "true", "yes", "1", "đúng"}
FALSE_WORDS = {"không", "khong", "false", "no", "0", "sai"}


class CriteriaSetError(ParIndexError):
    """A refused operation on a criteria set; `errors` are Vietnamese sentences for the user."""

    def __init__(self, errors):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        self.message = " ".join(self.errors)
        super().__init__(self.message)


class CriteriaImportError(CriteriaSetError):
    """A file that cannot be imported; each error names the row (or line) and the code."""


class CriteriaSetFrozenError(CriteriaImportError):
    """An edit of a set some evaluation year uses. An import over such a set is refused the same
    way, so it is also a CriteriaImportError for callers that only catch that."""

    def __init__(self, criteria_set):
        self.criteria_set = criteria_set
        super().__init__(frozen_message(criteria_set))


def frozen_message(criteria_set):
    years = ", ".join(
        f"năm {y} ({scope})" for y, scope in
        criteria_set.years.order_by("year").values_list("year", "scope__name")
    )
    return (f"Bộ chỉ số đã được sử dụng cho kỳ đánh giá {years} nên không thể sửa; "
            "hãy tạo bản sao.")


def criteria_set_ensure_editable(*, criteria_set):
    if criteria_set.pk and criteria_set.is_frozen:
        raise CriteriaSetFrozenError(criteria_set)


# ---------------------------------------------------------------------------------------------
# The in-memory form of a set, shared by both readers and by the check of a stored set.

@dataclass
class _Node:
    ref: str  # where it came from, for messages: "Dòng 12" or "Mục 1.2"
    code: str
    parent_code: str | None
    name: str = ""
    max_points: Decimal | None = None
    level: str | None = None  # only when read back from the database
    scoring_guide: str = ""
    evidence_guide: str = ""
    scoring_method: str = ScoringMethod.SELF
    allows_not_applicable: bool = False
    requires_evidence: bool = True
    is_sample: bool = False
    order: int = 0
    children: list = field(default_factory=list)
    checks: list = field(default_factory=list)  # cross-check rules (parindex.services.crosschecks)

    @property
    def label(self):
        if self.ref.startswith("Mục") or not self.code:
            return self.ref
        return f"{self.ref} (mã {self.code})"


def _pts(value):
    return format_points(value, POINT_PLACES)


def _tree_problems(nodes, declared_total):
    """Structural problems of a flat list of nodes: codes, parents, levels and sums.
    Fills `children` of the nodes it accepts, in their given order."""
    problems = []
    by_code = {}
    rejected = set()  # codes already reported: their children are not reported again
    incomplete = set()  # parents that lost a child to an error: their sum would only repeat it
    for node in nodes:
        if not node.code:
            problems.append(f"{node.ref}: thiếu mã của mục.")
        elif not CODE_RE.match(node.code) or len(node.code) > CODE_MAX_LENGTH:
            problems.append(f"{node.ref}: mã “{node.code}” không đúng dạng (đúng dạng: 1, 1.2, 1.2.3).")
            rejected.add(node.code)
        elif node.code in by_code:
            problems.append(f"{node.label}: mã bị trùng với {by_code[node.code].ref.lower()}.")
        else:
            by_code[node.code] = node
            node.children = []
            continue
        incomplete.add(node.parent_code)
    accepted = []
    for node in by_code.values():
        expected_parent = node.code.rpartition(".")[0] or None
        depth = node.code.count(".")
        if node.parent_code in rejected:
            problem = None
        elif depth > MAX_DEPTH:
            problem = f"{node.label}: quá 3 cấp (lĩnh vực → tiêu chí → tiêu chí thành phần)."
        elif node.parent_code != expected_parent:
            problem = (f"{node.label}: mã của lĩnh vực phải là một số (1, 2, 3…)." if node.parent_code is None
                       else f"{node.label}: mã phải bắt đầu bằng mã của mục cha “{node.parent_code}.”.")
        elif expected_parent is not None and expected_parent not in by_code:
            problem = f"{node.label}: không tìm thấy mục cha mã {expected_parent}."
        else:
            if node.level is not None and node.level != LEVEL_BY_DEPTH[depth]:
                problems.append(f"{node.label}: cấp “{ItemLevel(node.level).label}” không khớp với mã "
                                f"(mã này là {LEVEL_BY_DEPTH[depth].label.lower()}).")
            accepted.append(node)
            continue
        if problem:
            problems.append(problem)
        incomplete.add(node.parent_code)
    for node in accepted:
        if node.parent_code is not None:
            by_code[node.parent_code].children.append(node)
    for node in accepted:
        if node.max_points is None or node.code in incomplete:
            continue
        if node.children:
            kid_points = [c.max_points for c in node.children]
            if None not in kid_points and sum(kid_points) != node.max_points:
                problems.append(
                    f"{node.label}: tổng điểm tối đa của các mục con ({_pts(sum(kid_points))}) "
                    f"khác điểm tối đa của mục ({_pts(node.max_points)})."
                )
        elif node.max_points <= 0:
            problems.append(f"{node.label}: mục được chấm điểm phải có điểm tối đa lớn hơn 0.")
    areas = [n for n in accepted if n.parent_code is None]
    if not areas and not problems:
        problems.append("Bộ chỉ số chưa có lĩnh vực nào.")
    elif areas and None not in incomplete:
        area_points = [a.max_points for a in areas]
        if declared_total is not None and None not in area_points and sum(area_points) != declared_total:
            problems.append(
                f"Tổng điểm tối đa của các lĩnh vực ({_pts(sum(area_points))}) khác tổng điểm "
                f"của bộ chỉ số ({_pts(declared_total)})."
            )
    return problems


# ---------------------------------------------------------------------------------------------
# Cell and value parsing shared by the readers.

def _text(value):
    if value is None:
        return ""
    return str(value).strip()


def _points(value, where, column, errors, required=True):
    """A number of points from a YAML scalar or a cell: 11.5, "11,5", Decimal. None when bad."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(f"{where}: thiếu {column.lower()}.")
        return None
    if isinstance(value, bool):
        errors.append(f"{where}: “{value}” ở cột {column} không phải là số.")
        return None
    if isinstance(value, float):
        value = repr(value)  # 11.5 stays 11.5, not 11.4999…
    try:
        number = parse_points(value) if isinstance(value, str) else Decimal(value)
    except (ValueError, InvalidOperation):
        errors.append(f"{where}: “{value}” ở cột {column} không phải là số.")
        return None
    if number < 0:
        errors.append(f"{where}: {column.lower()} không được âm ({_pts(number)}).")
        return None
    if number >= POINT_LIMIT:
        errors.append(f"{where}: {column.lower()} “{value}” quá lớn.")
        return None
    if decimal_places(number) > POINT_PLACES:
        errors.append(f"{where}: {column.lower()} “{value}” có quá {POINT_PLACES} chữ số thập phân.")
        return None
    return number


def _flag(value, where, column, errors, default):
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    word = _text(value).lower()
    if isinstance(value, int | float) and not isinstance(value, bool):
        word = str(int(value)) if value in (0, 1) else word
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(f"{where}: “{value}” ở cột {column} phải là “Có” hoặc “Không”.")
    return default


def _scoring_method(value, where, errors):
    word = _text(value)
    if not word:
        return ScoringMethod.SELF
    for choice in ScoringMethod:
        if word.lower() in (choice.value, choice.label.lower()):
            return choice.value
    options = ", ".join(f"“{c.label}”" for c in ScoringMethod)
    errors.append(f"{where}: cách chấm “{word}” không hợp lệ (chọn một trong: {options}).")
    return ScoringMethod.SELF


def _code(value):
    """Excel turns "1" into the number 1; a float code ("1.2" typed as a number) is read as written."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return _text(value)


def _date(value, where, errors):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors.append(f"{where}: ngày “{text}” không hợp lệ (ghi theo dạng 17/07/2023).")
    return None


def _unit_kinds(value, where, errors):
    if isinstance(value, str):
        value = [v for v in re.split(r"[,;]", value) if v.strip()]
    if not value:
        errors.append(f"{where}: thiếu loại đơn vị áp dụng (ví dụ: xa, phuong, thi_tran).")
        return []
    labels = {UnitKind(k).label: k for k in COMMUNE_KIND_CODES}
    kinds = []
    for raw in value:
        word = _text(raw)
        kind = word if word in COMMUNE_KIND_CODES else labels.get(word.lower())
        if kind is None:
            errors.append(f"{where}: loại đơn vị “{word}” không hợp lệ (chọn trong: "
                          f"{', '.join(COMMUNE_KIND_CODES)}).")
        elif kind not in kinds:
            kinds.append(kind)
    return kinds


def _percent_value(number):
    # JSON keeps 90 as 90 and 82.5 as 82.5 whichever file it came from, so both formats round-trip.
    return int(number) if number == number.to_integral_value() else float(number)


def _bands(value, where, errors):
    if value in (None, ""):
        return []
    if isinstance(value, str):
        parsed = []
        for part in [p for p in value.split(";") if p.strip()]:
            match = re.match(r"^\s*(.+?)\s*(?:≥|>=|:)\s*([\d.,]+)\s*%?\s*$", part)
            if not match:
                errors.append(f"{where}: không đọc được xếp loại “{part.strip()}” (ghi dạng: Tốt ≥ 90; Khá ≥ 80).")
                continue
            parsed.append({"label": match.group(1), "min_percent": match.group(2)})
        value = parsed
    if not isinstance(value, list):
        errors.append(f"{where}: xếp loại phải là một danh sách nhãn và mức tối thiểu (%).")
        return []
    bands = []
    for band in value:
        if not isinstance(band, dict) or not _text(band.get("label")):
            errors.append(f"{where}: mỗi mức xếp loại cần có nhãn (label) và mức tối thiểu (min_percent).")
            continue
        minimum = _points(band.get("min_percent"), where, f"Mức tối thiểu của xếp loại {band['label']}", errors)
        if minimum is None:
            continue
        if minimum > 100:
            errors.append(f"{where}: mức tối thiểu của xếp loại {band['label']} vượt quá 100%.")
            continue
        bands.append({"label": _text(band["label"]), "min_percent": _percent_value(minimum)})
    return sorted(bands, key=lambda b: b["min_percent"], reverse=True)


def _meta(raw, where, errors):
    """Validate the set's own fields (a dict from YAML, or from the metadata sheet)."""
    meta = {}
    code = _text(raw.get("code"))
    if not code:
        errors.append(f"{where}: thiếu mã bộ chỉ số.")
    elif slugify(code) != code or len(code) > 60:
        errors.append(f"{where}: mã bộ chỉ số “{code}” chỉ được gồm chữ thường không dấu, số và dấu "
                      "gạch ngang, tối đa 60 ký tự.")
    meta["code"] = code
    meta["name"] = _text(raw.get("name"))
    if not meta["name"]:
        errors.append(f"{where}: thiếu tên bộ chỉ số.")
    meta["unit_kinds"] = _unit_kinds(raw.get("unit_kinds"), where, errors)
    meta["decision_number"] = _text(raw.get("decision_number"))
    meta["decision_date"] = _date(raw.get("decision_date"), where, errors)
    meta["issuer"] = _text(raw.get("issuer"))
    meta["decision_title"] = _text(raw.get("decision_title"))
    meta["period"] = _text(raw.get("period"))
    total = _points(raw.get("declared_total"), where, "Tổng điểm tối đa", errors)
    if total is not None and total <= 0:
        errors.append(f"{where}: tổng điểm tối đa phải lớn hơn 0.")
        total = None
    meta["declared_total"] = total
    precision = raw.get("precision")
    if precision in (None, ""):
        meta["precision"] = 2
    else:
        try:
            meta["precision"] = int(_text(precision))
            if not 0 <= meta["precision"] <= 4:
                raise ValueError
        except ValueError:
            errors.append(f"{where}: số chữ số thập phân “{precision}” phải là số nguyên từ 0 đến 4.")
    meta["bands"] = _bands(raw.get("bands"), where, errors)
    meta["bonus_cap"] = _points(raw.get("bonus_cap"), where, "Điểm thưởng tối đa", errors, required=False)
    meta["penalty_cap"] = _points(raw.get("penalty_cap"), where, "Điểm trừ tối đa", errors, required=False)
    status = _text(raw.get("status")) or CriteriaSetStatus.DRAFT
    by_word = {c.value: c.value for c in CriteriaSetStatus} | {c.label.lower(): c.value for c in CriteriaSetStatus}
    if status.lower() not in by_word:
        errors.append(f"{where}: trạng thái “{status}” không hợp lệ (draft, active hoặc retired).")
    meta["status"] = by_word.get(status.lower(), CriteriaSetStatus.DRAFT)
    meta["is_sample"] = _flag(raw.get("is_sample"), where, "Nội dung mẫu", errors, False)
    meta["note"] = _text(raw.get("note"))
    return meta


# ---------------------------------------------------------------------------------------------
# Readers.

class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Records the line of every mapping so that errors can name it. libyaml's parser where PyYAML
    has it (its wheels do): four times faster on the shipped sets, which every demo load reads."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


ITEM_KEYS = {"code", "name", "max_points", "scoring_guide", "evidence_guide", "scoring_method",
             "allows_not_applicable", "requires_evidence", "is_sample", "children", "checks", "__line__"}


def _read_yaml(stream):
    errors = []
    try:
        data = yaml.load(stream, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"Dòng {mark.line + 1}" if mark else "Tệp"
        raise CriteriaImportError([f"{where}: tệp YAML không đọc được ({getattr(exc, 'problem', exc)})."]) from None
    if not isinstance(data, dict):
        raise CriteriaImportError(["Tệp YAML phải bắt đầu bằng thông tin bộ chỉ số (code, name, …) và danh sách items."])
    raw_meta = dict(data)
    decision = raw_meta.pop("decision", None) or {}
    if isinstance(decision, dict):
        raw_meta.setdefault("decision_number", decision.get("number"))
        raw_meta.setdefault("decision_date", decision.get("date"))
        raw_meta.setdefault("issuer", decision.get("issuer"))
        raw_meta.setdefault("decision_title", decision.get("title"))
        raw_meta.setdefault("period", decision.get("period"))
    meta = _meta(raw_meta, "Thông tin bộ chỉ số", errors)
    nodes = []

    def walk(entries, parent_code, where):
        if entries is None:
            return
        if not isinstance(entries, list):
            errors.append(f"{where}: “children”/“items” phải là một danh sách.")
            return
        for order, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                errors.append(f"{where}: mỗi mục phải có dạng “code: …, name: …, max_points: …”.")
                continue
            ref = f"Dòng {entry['__line__']}"
            node = _Node(ref=ref, code=_code(entry.get("code")), parent_code=parent_code, order=order)
            unknown = sorted(set(entry) - ITEM_KEYS)
            if unknown:
                errors.append(f"{node.label}: khóa không hợp lệ: {', '.join(unknown)}.")
            _fill_node(node, entry, errors)
            _read_yaml_checks(node, entry.get("checks"), errors)
            nodes.append(node)
            walk(entry.get("children"), node.code, node.label)

    if not data.get("items"):
        errors.append("Tệp YAML chưa có danh sách lĩnh vực (items).")
    walk(data.get("items"), None, "items")
    return meta, nodes, errors


def _read_yaml_checks(node, entries, errors):
    if entries is None:
        return
    if not isinstance(entries, list):
        errors.append(f"{node.label}: “checks” phải là một danh sách quy tắc kiểm tra.")
        return
    for entry in entries:
        where = f"Dòng {entry['__line__']} (quy tắc kiểm tra của mã {node.code})" if isinstance(entry, dict) \
            else node.label
        check = crosschecks.check_read(entry, where, errors, points=_points)
        if check is not None:
            node.checks.append(check)


def _fill_node(node, values, errors):
    where = node.label
    node.name = _text(values.get("name"))
    if not node.name:
        errors.append(f"{where}: thiếu nội dung (tên) của mục.")
    node.max_points = _points(values.get("max_points"), where, "Điểm tối đa", errors)
    node.scoring_guide = _text(values.get("scoring_guide"))
    node.evidence_guide = _text(values.get("evidence_guide"))
    node.scoring_method = _scoring_method(values.get("scoring_method"), where, errors)
    node.allows_not_applicable = _flag(values.get("allows_not_applicable"), where, "Cho phép không áp dụng",
                                       errors, False)
    node.requires_evidence = _flag(values.get("requires_evidence"), where, "Bắt buộc kiểm chứng", errors, True)
    node.is_sample = _flag(values.get("is_sample"), where, "Nội dung mẫu", errors, False)


def _norm_header(value):
    return re.sub(r"\s+", " ", _text(value)).lower()


def _read_xlsx(stream):
    errors = []
    try:
        with xlsx_workbook(stream) as workbook:
            names = workbook.sheetnames
            items_sheet = workbook[ITEMS_SHEET] if ITEMS_SHEET in names else workbook.worksheets[0]
            rows = [values for _, values in sheet_rows(items_sheet)]
            meta_rows = [values for _, values in sheet_rows(workbook[META_SHEET])] if META_SHEET in names else None
            check_rows = ([values for _, values in sheet_rows(workbook[crosschecks.CHECKS_SHEET])]
                          if crosschecks.CHECKS_SHEET in names else [])
    except XlsxImportError as exc:
        raise CriteriaImportError(exc.lines) from None

    headers = {_norm_header(h): key for key, h, _ in ITEM_COLUMNS}
    header_row, columns = None, {}
    # Provinces' files often carry a title above the table: look for the header in the first rows.
    for index, row in enumerate(rows[:15]):
        found = {headers[_norm_header(c)]: i for i, c in enumerate(row) if _norm_header(c) in headers}
        if {"code", "name", "max_points"} <= set(found):
            header_row, columns = index, found
            break
    if header_row is None:
        raise CriteriaImportError([f"Trang “{items_sheet.title}”: không tìm thấy dòng tiêu đề có các cột "
                                   "“Mã”, “Nội dung”, “Điểm tối đa”."])
    nodes = []
    siblings = defaultdict(int)
    for index, row in enumerate(rows[header_row + 1:], start=header_row + 2):
        values = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        code = _code(values.get("code"))
        parent_code = code.rpartition(".")[0] or None
        siblings[parent_code] += 1
        node = _Node(ref=f"Dòng {index}", code=code, parent_code=parent_code, order=siblings[parent_code])
        _fill_node(node, values, errors)
        nodes.append(node)
    if not nodes:
        errors.append(f"Trang “{items_sheet.title}”: chưa có dòng nào dưới dòng tiêu đề.")
    crosschecks.checks_sheet_read(check_rows, nodes, errors, points=_points, code_of=_code,
                                  norm_header=_norm_header)

    if meta_rows is None:
        errors.append(f"Thiếu trang “{META_SHEET}” (mã, tên, quyết định ban hành, tổng điểm của bộ chỉ số).")
        return {"declared_total": None}, nodes, errors
    by_label = {_norm_header(label): key for key, label in META_FIELDS} | {key: key for key, _ in META_FIELDS}
    raw_meta = {}
    for row in meta_rows:
        if row and _norm_header(row[0]) in by_label:
            raw_meta[by_label[_norm_header(row[0])]] = row[1] if len(row) > 1 else None
    meta = _meta(raw_meta, f"Trang “{META_SHEET}”", errors)
    return meta, nodes, errors


# ---------------------------------------------------------------------------------------------
# Import.

def guess_format(name):
    ext = os.path.splitext(str(name or ""))[1].lower()
    return {".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx"}.get(ext)


def _open_source(source, fmt):
    """A path or an uploaded file → (binary stream or text, name); the caller closes nothing."""
    name = getattr(source, "name", None) if not isinstance(source, str | os.PathLike) else os.fspath(source)
    fmt = fmt or guess_format(name)
    if fmt not in ("yaml", "xlsx"):
        raise CriteriaImportError([f"Không nhận ra định dạng của tệp “{os.path.basename(str(name or ''))}”: "
                                   "chỉ nhận tệp .yaml, .yml hoặc .xlsx."])
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise CriteriaImportError([f"Không mở được tệp “{name}”: {exc.strerror}."]) from None
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        content = source.read()
    if fmt == "yaml" and isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CriteriaImportError(["Tệp YAML phải được lưu với bảng mã UTF-8."]) from None
    if fmt == "xlsx":
        content = io.BytesIO(content)
    return content, fmt


def criteria_set_read(*, source, fmt=None):
    """Parse and check a file without touching the database: (meta, nodes); raises CriteriaImportError."""
    content, fmt = _open_source(source, fmt)
    meta, nodes, errors = (_read_yaml if fmt == "yaml" else _read_xlsx)(content)
    errors += _tree_problems(nodes, meta.get("declared_total"))
    errors += crosschecks.checks_problems(nodes)
    if errors:
        raise CriteriaImportError(errors)
    return meta, nodes


def criteria_set_import(*, source, fmt=None, replace=False, province=None):
    """Import a set from a YAML or XLSX file (a path or an uploaded file). All or nothing.
    The set belongs to `province` (None: a national template); replacing is allowed only within
    the same owner, so that a province never overwrites another's set or a national template."""
    meta, nodes = criteria_set_read(source=source, fmt=fmt)
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.select_for_update().filter(code=meta["code"]).first()
        if criteria_set is not None:
            if criteria_set.province_id != (province.pk if province else None):
                raise CriteriaImportError([
                    f"Đã có bộ chỉ số mã “{meta['code']}” của "
                    f"{criteria_set.province or 'bộ mẫu toàn quốc'}: không thể ghi đè, hãy đổi mã trong tệp."
                ])
            if criteria_set.is_frozen:
                raise CriteriaSetFrozenError(criteria_set)
            if not replace:
                raise CriteriaImportError([
                    f"Đã có bộ chỉ số mã “{meta['code']}”. Chọn “thay thế” (--replace) để ghi đè bộ chỉ số "
                    "này, hoặc đổi mã trong tệp."
                ])
            criteria_set.items.all().delete()
        else:
            criteria_set = CriteriaSet(code=meta["code"], province=province)
        for key, value in meta.items():
            setattr(criteria_set, key, value)
        criteria_set.save()
        _create_items(criteria_set, nodes)
        crosschecks.checks_create(criteria_set, nodes)
    return criteria_set


def _create_items(criteria_set, nodes):
    """Insert the tree level by level (parents need their ids first); sort_key is set here
    because bulk_create skips Item.save()."""
    ids = {}
    area_code = lambda code: code.split(".")[0]  # noqa: E731
    for depth in range(MAX_DEPTH + 1):
        batch = [
            Item(
                criteria_set=criteria_set, level=LEVEL_BY_DEPTH[depth], code=n.code, name=n.name, order=n.order,
                sort_key=Item.sort_key_for(n.code), max_points=n.max_points, is_leaf=not n.children,
                parent_id=ids.get(n.parent_code), area_id=ids.get(area_code(n.code)),
                scoring_guide=n.scoring_guide, evidence_guide=n.evidence_guide,
                allows_not_applicable=n.allows_not_applicable, scoring_method=n.scoring_method,
                requires_evidence=n.requires_evidence, is_sample=n.is_sample,
            )
            for n in nodes if n.code.count(".") == depth
        ]
        if not batch:
            break
        Item.objects.bulk_create(batch)
        ids.update(Item.objects.filter(criteria_set=criteria_set, level=LEVEL_BY_DEPTH[depth])
                   .values_list("code", "pk"))
    Item.objects.filter(criteria_set=criteria_set, level=ItemLevel.AREA).update(area_id=F("pk"))


# ---------------------------------------------------------------------------------------------
# Checks and structure of a stored set.

def _stored_nodes(criteria_set):
    items = list(criteria_set.items.order_by("sort_key").select_related("parent"))
    nodes = [
        _Node(ref=f"Mục {i.code}", code=i.code, parent_code=i.parent.code if i.parent_id else None,
              name=i.name, max_points=i.max_points, level=i.level, order=i.order)
        for i in items
    ]
    return items, nodes


def criteria_set_check(*, criteria_set):
    """Consistency problems of a stored set, as Vietnamese sentences (empty when consistent)."""
    items, nodes = _stored_nodes(criteria_set)
    problems = _tree_problems(nodes, criteria_set.declared_total)
    has_children = {i.parent_id for i in items if i.parent_id}
    for item in items:
        if item.is_leaf == (item.pk in has_children):
            state = "được chấm điểm" if item.is_leaf else "không được chấm điểm"
            problems.append(f"Mục {item.code}: đang đánh dấu {state} nhưng "
                            f"{'có' if item.pk in has_children else 'không có'} mục con.")
        expected_area = item.pk if item.level == ItemLevel.AREA else None
        if expected_area is None:
            area = next((a for a in items if a.code == item.code.split(".")[0]), None)
            expected_area = area.pk if area else None
        if expected_area is not None and item.area_id != expected_area:
            problems.append(f"Mục {item.code}: lĩnh vực ghi nhận không khớp với mã.")
    return problems


def criteria_set_structure(*, criteria_set):
    """Per area: code, name, max points, number of criteria and of sub-criteria, scored leaves."""
    items = list(criteria_set.items.order_by("sort_key").values("id", "code", "name", "level", "max_points",
                                                                 "area_id", "is_leaf"))
    rows = {i["id"]: {"code": i["code"], "name": i["name"], "max_points": i["max_points"], "criteria": 0,
                      "sub_criteria": 0, "leaves": 0}
            for i in items if i["level"] == ItemLevel.AREA}
    for item in items:
        row = rows.get(item["area_id"])
        if row is None:
            continue
        if item["level"] == ItemLevel.CRITERION:
            row["criteria"] += 1
        elif item["level"] == ItemLevel.SUB_CRITERION:
            row["sub_criteria"] += 1
        if item["is_leaf"]:
            row["leaves"] += 1
    return list(rows.values())


def criteria_set_summary(*, criteria_set):
    """Totals over the structure: areas, criteria, sub-criteria, leaves, sum of area max points."""
    structure = criteria_set_structure(criteria_set=criteria_set)
    return {
        "areas": len(structure),
        "criteria": sum(r["criteria"] for r in structure),
        "sub_criteria": sum(r["sub_criteria"] for r in structure),
        "leaves": sum(r["leaves"] for r in structure),
        "max_points": sum((r["max_points"] for r in structure), Decimal("0")),
    }


def criteria_set_tree(*, criteria_set):
    """Items in display order with their depth (0 = area), for trees in the admin and on pages."""
    return [(item, item.depth) for item in criteria_set.items.order_by("sort_key")]


# ---------------------------------------------------------------------------------------------
# Export.

def _set_meta_dict(criteria_set):
    return {
        "code": criteria_set.code,
        "name": criteria_set.name,
        "unit_kinds": list(criteria_set.unit_kinds),
        "decision_number": criteria_set.decision_number,
        "decision_date": criteria_set.decision_date,
        "issuer": criteria_set.issuer,
        "decision_title": criteria_set.decision_title,
        "period": criteria_set.period,
        "declared_total": criteria_set.declared_total,
        "precision": criteria_set.precision,
        "bands": list(criteria_set.bands or []),
        "bonus_cap": criteria_set.bonus_cap,
        "penalty_cap": criteria_set.penalty_cap,
        "status": criteria_set.status,
        "is_sample": criteria_set.is_sample,
        "note": criteria_set.note,
    }


def _yaml_number(value):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


class _BlockDumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_BlockDumper.add_representer(str, _str_representer)

YAML_HEADER = """\
# Bộ chỉ số CCHC, xuất từ PAR Index. Định dạng: thông tin bộ chỉ số, rồi `items` là cây
# lĩnh vực → tiêu chí (children) → tiêu chí thành phần (children). Mã: "1", "1.2", "1.2.3".
# Điểm tối đa của các mục con phải cộng lại bằng điểm của mục cha; các lĩnh vực cộng lại bằng
# declared_total. `checks` của một mục: các quy tắc kiểm tra chéo (kind: evidence | figure |
# last_year; severity: error | warning; figure, threshold, limit, message).
# Nhập lại bằng: python manage.py import_criteria <tệp> [--replace]
"""


def _item_yaml(item, children_of, rules):
    entry = {"code": item.code, "name": item.name, "max_points": _yaml_number(item.max_points)}
    for key in ("scoring_guide", "evidence_guide"):
        if getattr(item, key):
            entry[key] = getattr(item, key)
    if item.scoring_method != ScoringMethod.SELF:
        entry["scoring_method"] = item.scoring_method
    if item.allows_not_applicable:
        entry["allows_not_applicable"] = True
    if not item.requires_evidence:
        entry["requires_evidence"] = False
    if item.is_sample:
        entry["is_sample"] = True
    if rules.get(item.pk):
        entry["checks"] = [crosschecks.check_yaml(r) for r in rules[item.pk]]
    kids = children_of.get(item.pk, [])
    if kids:
        entry["children"] = [_item_yaml(k, children_of, rules) for k in kids]
    return entry


def _export_yaml(criteria_set):
    meta = _set_meta_dict(criteria_set)
    data = {
        "code": meta["code"], "name": meta["name"], "unit_kinds": meta["unit_kinds"],
        "decision": {"number": meta["decision_number"], "date": meta["decision_date"], "issuer": meta["issuer"],
                     "title": meta["decision_title"], "period": meta["period"]},
        "declared_total": _yaml_number(meta["declared_total"]), "precision": meta["precision"],
        "bands": meta["bands"], "bonus_cap": _yaml_number(meta["bonus_cap"]),
        "penalty_cap": _yaml_number(meta["penalty_cap"]), "status": meta["status"],
        "is_sample": meta["is_sample"], "note": meta["note"],
    }
    items = list(criteria_set.items.order_by("sort_key"))
    children_of = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.order, i.sort_key)):
        children_of[item.parent_id].append(item)
    rules = crosschecks.rules_by_item(criteria_set)
    data["items"] = [_item_yaml(a, children_of, rules) for a in children_of[None]]
    body = yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)
    return (YAML_HEADER + body).encode("utf-8")


def bands_text(bands):
    """[{"label": "Tốt", "min_percent": 90}, …] → "Tốt ≥ 90; …", the form people type."""
    return "; ".join(f"{b['label']} ≥ {str(b['min_percent']).replace('.', ',')}" for b in bands or [])


def bands_parse(text):
    """The reverse of bands_text: (bands, errors)."""
    errors = []
    bands = _bands(text, "Xếp loại", errors)
    return bands, errors


def _export_xlsx(criteria_set):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ITEMS_SHEET
    sheet.append([header for _, header, _ in ITEM_COLUMNS])
    bold = Font(bold=True)
    for index, (_, _, width) in enumerate(ITEM_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    for row, item in enumerate(criteria_set.items.order_by("sort_key"), start=2):
        values = [item.code, item.name, item.max_points, item.scoring_guide, item.evidence_guide,
                  item.get_scoring_method_display(), "Có" if item.allows_not_applicable else "Không",
                  "Có" if item.requires_evidence else "Không", "Có" if item.is_sample else "Không"]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       indent=item.depth * 2 if column == 2 else 0)
            if item.level == ItemLevel.AREA:
                cell.font = bold
        # Codes stay text so "1.10" is not read back as the number 1.1.
        sheet.cell(row=row, column=1).number_format = "@"
        sheet.cell(row=row, column=3).number_format = "0.00"

    info = workbook.create_sheet(META_SHEET)
    info.append(["Thông tin", "Giá trị"])
    info["A1"].font = info["B1"].font = bold
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 80
    meta = _set_meta_dict(criteria_set)
    shown = {
        "unit_kinds": ", ".join(meta["unit_kinds"]),
        "decision_date": meta["decision_date"].strftime("%d/%m/%Y") if meta["decision_date"] else "",
        "bands": bands_text(meta["bands"]),
        "is_sample": "Có" if meta["is_sample"] else "Không",
    }
    for key, label in META_FIELDS:
        value = shown.get(key, meta[key])
        info.append([label, "" if value is None else value])

    def header_style(cell):
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    crosschecks.checks_sheet_write(workbook, criteria_set, header_style)
    buffer = io.BytesIO()
    workbook_save(workbook, buffer)
    return buffer.getvalue()


def criteria_set_export(*, criteria_set, destination, fmt):
    """Write the set as YAML or XLSX to a path or a binary file object."""
    if fmt not in ("yaml", "xlsx"):
        raise CriteriaSetError(f"Định dạng “{fmt}” không hỗ trợ: chọn yaml hoặc xlsx.")
    content = _export_yaml(criteria_set) if fmt == "yaml" else _export_xlsx(criteria_set)
    if hasattr(destination, "write"):
        destination.write(content)
    else:
        with open(destination, "wb") as handle:
            handle.write(content)


# ---------------------------------------------------------------------------------------------
# Editing: copy, and the guarded edits the admin goes through.

SET_COPY_FIELDS = ["unit_kinds", "decision_number", "decision_date", "issuer", "decision_title", "period",
                   "declared_total", "precision",
                   "bands", "bonus_cap", "penalty_cap", "is_sample", "note"]
ITEM_COPY_FIELDS = ["level", "code", "name", "order", "sort_key", "max_points", "is_leaf", "scoring_guide",
                    "evidence_guide", "allows_not_applicable", "scoring_method", "requires_evidence", "is_sample"]


@transaction.atomic
def criteria_set_copy(*, criteria_set, code, name, province=None):
    """A new draft with all items of `criteria_set`, for next year's changes, owned by `province`
    (None: a national template, for a superuser copying one)."""
    code = (code or "").strip()
    if slugify(code) != code or not code:
        raise CriteriaSetError(f"Mã “{code}” chỉ được gồm chữ thường không dấu, số và dấu gạch ngang.")
    if CriteriaSet.objects.filter(code=code).exists():
        raise CriteriaSetError(f"Đã có bộ chỉ số mã “{code}”: chọn mã khác cho bản sao.")
    copy = CriteriaSet.objects.create(
        code=code, name=name or criteria_set.name, status=CriteriaSetStatus.DRAFT, copied_from=criteria_set,
        province=province,
        **{f: getattr(criteria_set, f) for f in SET_COPY_FIELDS},
    )
    source_items = list(criteria_set.items.order_by("sort_key"))
    code_of = {i.pk: i.code for i in source_items}
    nodes_by_depth = defaultdict(list)
    for item in source_items:
        nodes_by_depth[item.depth].append(item)
    ids = {}
    for depth in sorted(nodes_by_depth):
        Item.objects.bulk_create([
            Item(criteria_set=copy, parent_id=ids.get(code_of.get(i.parent_id)),
                 area_id=ids.get(code_of.get(i.area_id)), **{f: getattr(i, f) for f in ITEM_COPY_FIELDS})
            for i in nodes_by_depth[depth]
        ])
        ids.update(copy.items.filter(level=LEVEL_BY_DEPTH.get(depth, "")).values_list("code", "pk"))
    copy.items.filter(level=ItemLevel.AREA).update(area_id=F("pk"))
    crosschecks.checks_copy(criteria_set, copy)
    return copy


def criteria_set_copy_code(*, criteria_set):
    """A free code for a copy: "<code>-ban-sao", "<code>-ban-sao-2", …"""
    base = f"{criteria_set.code}-ban-sao"[:55]
    candidate, n = base, 1
    while CriteriaSet.objects.filter(code=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def criteria_set_update(*, criteria_set, **fields):
    criteria_set_ensure_editable(criteria_set=criteria_set)
    for key, value in fields.items():
        setattr(criteria_set, key, value)
    criteria_set.full_clean()
    criteria_set.save()
    return criteria_set


def criteria_set_save(*, criteria_set):
    """Save a set edited in a form; refused when a year uses it."""
    if criteria_set.pk:
        stored = CriteriaSet.objects.get(pk=criteria_set.pk)
        criteria_set_ensure_editable(criteria_set=stored)
    criteria_set.save()
    return criteria_set


def item_place(*, item):
    """Derive parent, area and level of an item from its code; raises CriteriaSetError when the
    code is malformed or its parent does not exist (so the admin can show it at the field)."""
    code = (item.code or "").strip()
    if not CODE_RE.match(code):
        raise CriteriaSetError(f"Mã “{code}” không đúng dạng (đúng dạng: 1, 1.2, 1.2.3).")
    depth = code.count(".")
    if depth > MAX_DEPTH:
        raise CriteriaSetError("Tối đa 3 cấp: lĩnh vực → tiêu chí → tiêu chí thành phần.")
    siblings = Item.objects.filter(criteria_set_id=item.criteria_set_id).exclude(pk=item.pk)
    if siblings.filter(code=code).exists():
        raise CriteriaSetError(f"Mã {code} đã có trong bộ chỉ số.")
    item.code = code
    item.level = LEVEL_BY_DEPTH[depth]
    if depth == 0:
        item.parent = None
        return item
    parent_code = code.rpartition(".")[0]
    parent = siblings.filter(code=parent_code).first()
    if parent is None:
        raise CriteriaSetError(f"Không tìm thấy mục cha mã {parent_code} trong bộ chỉ số.")
    item.parent = parent
    item.area_id = parent.area_id if parent.level != ItemLevel.AREA else parent.pk
    return item


def _refresh_tree(criteria_set):
    """Keep is_leaf and area true to the tree after single-item edits."""
    parents = set(Item.objects.filter(criteria_set=criteria_set, parent__isnull=False)
                  .values_list("parent_id", flat=True))
    Item.objects.filter(criteria_set=criteria_set).exclude(pk__in=parents).exclude(is_leaf=True).update(is_leaf=True)
    Item.objects.filter(criteria_set=criteria_set, pk__in=parents).exclude(is_leaf=False).update(is_leaf=False)
    Item.objects.filter(criteria_set=criteria_set, level=ItemLevel.AREA).update(area_id=F("pk"))
    for area_id, code in Item.objects.filter(criteria_set=criteria_set, level=ItemLevel.AREA).values_list("pk", "code"):
        Item.objects.filter(criteria_set=criteria_set, code__startswith=f"{code}.").exclude(area_id=area_id) \
            .update(area_id=area_id)


@transaction.atomic
def item_save(*, item):
    """Create or change one item of a set that no year uses yet; returns the item."""
    criteria_set_ensure_editable(criteria_set=CriteriaSet.objects.get(pk=item.criteria_set_id))
    if item.pk:
        stored = Item.objects.select_related("criteria_set").get(pk=item.pk)
        criteria_set_ensure_editable(criteria_set=stored.criteria_set)
        old_code = stored.code
    else:
        old_code = None
    item_place(item=item)
    item.save()
    if item.level == ItemLevel.AREA and item.area_id != item.pk:
        Item.objects.filter(pk=item.pk).update(area_id=item.pk)
        item.area_id = item.pk
    if old_code and old_code != item.code:
        _recode_descendants(item, old_code)
    _refresh_tree(item.criteria_set)
    item.refresh_from_db(fields=["is_leaf", "area"])
    return item


def _recode_descendants(item, old_code):
    # Renumbering "1.2" to "1.3" renumbers "1.2.1" to "1.3.1" so codes keep their parent's prefix.
    for child in Item.objects.filter(criteria_set_id=item.criteria_set_id, code__startswith=f"{old_code}."):
        child.code = item.code + child.code[len(old_code):]
        child.save(update_fields=["code", "sort_key"])


@transaction.atomic
def item_delete(*, item):
    criteria_set = CriteriaSet.objects.get(pk=item.criteria_set_id)
    criteria_set_ensure_editable(criteria_set=criteria_set)
    item.delete()
    _refresh_tree(criteria_set)
