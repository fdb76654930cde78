"""Cross-check rules as part of a criteria set file: read (YAML `checks:` under an item, or the
"Kiểm tra chéo" sheet of the workbook), written back the same way, and stored with the set's items.
Every problem names its line or row, in Vietnamese, like the rest of the importer."""

from parindex.models import CheckFigure, CheckKind, CheckSeverity, CrossCheckRule, Item

CHECKS_SHEET = "Kiểm tra chéo"
CHECK_COLUMNS = [
    # (key, header, width)
    ("code", "Mã mục", 9),
    ("kind", "Loại kiểm tra", 22),
    ("severity", "Mức độ", 12),
    ("figure", "Số liệu so sánh", 26),
    ("threshold", "Ngưỡng (%)", 11),
    ("limit", "Giới hạn điểm", 11),
    ("message", "Thông báo", 70),
]
CHECK_KEYS = {"kind", "severity", "figure", "threshold", "limit", "message", "__line__"}
KIND_WORDS = {"evidence": CheckKind.EVIDENCE, "figure": CheckKind.FIGURE, "last_year": CheckKind.LAST_YEAR,
              "tài liệu kiểm chứng": CheckKind.EVIDENCE, "số liệu": CheckKind.FIGURE, "năm trước": CheckKind.LAST_YEAR}
SEVERITY_WORDS = {"error": CheckSeverity.ERROR, "warning": CheckSeverity.WARNING,
                  "lỗi": CheckSeverity.ERROR, "cảnh báo": CheckSeverity.WARNING}


def _choice(value, words, choices, where, column, errors, default=None):
    word = str(value or "").strip()
    if not word:
        if default is None:
            errors.append(f"{where}: thiếu {column.lower()}.")
        return default
    lowered = word.lower()
    for choice in choices:
        if lowered in (choice.value, choice.label.lower()):
            return choice.value
    if lowered in words:
        return words[lowered]
    options = ", ".join(f"“{c.value}”" for c in choices)
    errors.append(f"{where}: {column.lower()} “{word}” không hợp lệ (chọn một trong: {options}).")
    return default


def check_read(raw, where, errors, *, points):
    """One rule from a YAML mapping or a sheet row → a dict of the model's fields, or None when bad.
    `points` is the importer's number reader (it reports its own errors)."""
    if not isinstance(raw, dict):
        errors.append(f"{where}: mỗi quy tắc kiểm tra phải có dạng “kind: …, severity: …, message: …”.")
        return None
    before = len(errors)
    unknown = sorted(set(raw) - CHECK_KEYS - {"code"})
    if unknown:
        errors.append(f"{where}: khóa không hợp lệ trong quy tắc kiểm tra: {', '.join(unknown)}.")
    kind = _choice(raw.get("kind"), KIND_WORDS, CheckKind, where, "Loại kiểm tra", errors)
    severity = _choice(raw.get("severity"), SEVERITY_WORDS, CheckSeverity, where, "Mức độ", errors,
                       default=CheckSeverity.WARNING)
    figure = _choice(raw.get("figure"), {}, CheckFigure, where, "Số liệu so sánh", errors, default="")
    threshold = points(raw.get("threshold"), where, "Ngưỡng (%)", errors, required=False)
    limit = points(raw.get("limit"), where, "Giới hạn điểm", errors, required=False)
    message = str(raw.get("message") or "").strip()
    if not message:
        errors.append(f"{where}: thiếu thông báo (message) của quy tắc kiểm tra.")
    if threshold is not None and threshold > 100:
        errors.append(f"{where}: ngưỡng {threshold}% vượt quá 100%.")
    if kind == CheckKind.FIGURE and not str(raw.get("figure") or "").strip():
        errors.append(f"{where}: quy tắc loại “figure” cần số liệu so sánh (figure).")
    if kind == CheckKind.LAST_YEAR and limit is None:
        errors.append(f"{where}: quy tắc loại “last_year” cần mức tăng tối đa (limit).")
    if kind in (CheckKind.EVIDENCE, CheckKind.LAST_YEAR) and (figure or threshold is not None):
        errors.append(f"{where}: quy tắc loại “{kind}” không dùng số liệu so sánh và ngưỡng.")
    if kind == CheckKind.EVIDENCE and limit is not None:
        errors.append(f"{where}: quy tắc loại “evidence” không dùng giới hạn điểm.")
    if len(errors) > before:
        return None
    return {"kind": kind, "severity": severity, "figure": figure, "threshold": threshold, "limit": limit,
            "message": message, "where": where}


def checks_problems(nodes):
    """Problems that need the item: a score limit above the item's maximum never fires."""
    problems = []
    for node in nodes:
        for check in node.checks:
            if (check["kind"] == CheckKind.FIGURE and check["limit"] is not None and node.max_points is not None
                    and check["limit"] >= node.max_points):
                problems.append(f"{check['where']}: giới hạn điểm {check['limit']} không nhỏ hơn điểm tối đa "
                                f"của mục {node.code} ({node.max_points}): quy tắc không bao giờ có hiệu lực.")
    return problems


def checks_create(criteria_set, nodes):
    ids = dict(Item.objects.filter(criteria_set=criteria_set).values_list("code", "pk"))
    CrossCheckRule.objects.bulk_create([
        CrossCheckRule(item_id=ids[node.code], order=order, **{k: v for k, v in check.items() if k != "where"})
        for node in nodes for order, check in enumerate(node.checks, start=1)
    ])


def checks_copy(source, copy):
    """The rules of `source` onto the same codes of its copy (criteria_set_copy)."""
    ids = dict(Item.objects.filter(criteria_set=copy).values_list("code", "pk"))
    rules = CrossCheckRule.objects.filter(item__criteria_set=source).select_related("item")
    CrossCheckRule.objects.bulk_create([
        CrossCheckRule(item_id=ids[r.item.code], order=r.order, kind=r.kind, severity=r.severity, figure=r.figure,
                       threshold=r.threshold, limit=r.limit, message=r.message)
        for r in rules if r.item.code in ids
    ])


def _number(value):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def rules_by_item(criteria_set):
    grouped = {}
    for rule in CrossCheckRule.objects.filter(item__criteria_set=criteria_set).order_by("order", "id"):
        grouped.setdefault(rule.item_id, []).append(rule)
    return grouped


def check_yaml(rule):
    entry = {"kind": rule.kind, "severity": rule.severity}
    if rule.figure:
        entry["figure"] = rule.figure
    if rule.threshold is not None:
        entry["threshold"] = _number(rule.threshold)
    if rule.limit is not None:
        entry["limit"] = _number(rule.limit)
    entry["message"] = rule.message
    return entry


def checks_sheet_write(workbook, criteria_set, header_style):
    sheet = workbook.create_sheet(CHECKS_SHEET)
    sheet.append([header for _, header, _ in CHECK_COLUMNS])
    for index, (_, _, width) in enumerate(CHECK_COLUMNS, start=1):
        header_style(sheet.cell(row=1, column=index))
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    rules = CrossCheckRule.objects.filter(item__criteria_set=criteria_set).select_related("item") \
        .order_by("item__sort_key", "order", "id")
    for row, rule in enumerate(rules, start=2):
        values = [rule.item.code, rule.kind, rule.severity, rule.figure, rule.threshold, rule.limit, rule.message]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        sheet.cell(row=row, column=1).number_format = "@"


def checks_sheet_read(rows, nodes, errors, *, points, code_of, norm_header):
    """Attach the rules of the "Kiểm tra chéo" sheet's rows to their nodes by item code."""
    if not rows:
        return
    headers = {norm_header(h): key for key, h, _ in CHECK_COLUMNS}
    columns = {headers[norm_header(c)]: i for i, c in enumerate(rows[0]) if norm_header(c) in headers}
    if not {"code", "kind", "message"} <= set(columns):
        errors.append(f"Trang “{CHECKS_SHEET}”: dòng 1 phải có các cột “Mã mục”, “Loại kiểm tra”, “Thông báo”.")
        return
    by_code = {n.code: n for n in nodes}
    for index, row in enumerate(rows[1:], start=2):
        values = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        code = code_of(values.pop("code"))
        where = f"Trang “{CHECKS_SHEET}”, dòng {index}" + (f" (mã {code})" if code else "")
        if code not in by_code:
            errors.append(f"{where}: không có mục mã “{code}” trong bộ chỉ số." if code else f"{where}: thiếu mã mục.")
            continue
        check = check_read({k: v for k, v in values.items() if v not in (None, "")}, where, errors, points=points)
        if check is not None:
            by_code[code].checks.append(check)

