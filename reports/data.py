"""The report data, built ONCE from the selectors into a plain structure (header, sections, tables,
chart series) and handed to every renderer (PDF, DOCX, XLSX). Renderers only lay it out: every
figure and sentence of a report is decided here, so the three formats cannot disagree, and the
fingerprint of this structure tells whether a finished file still matches the data.

Blocks of a section are dicts {"style": ..., "runs": [[text, "b"|"i"|"bi"|""], ...]} with styles
  heading1  "I. CÔNG TÁC …" (capitals, bold)       heading2  "1. …" (bold)
  label     "Thống kê cụ thể các văn bản:" (bold italic)
  body      a justified paragraph with first-line indent
  item      a "- …" / "+ …" list line (same layout as body)
  note      "(Có phụ lục kèm theo)"                 chart     the self vs appraised chart
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from communes.models import Recipient, Signatory
from parindex.errors import ParIndexError
from parindex.models import (
    Assessment,
    CouncilDecision,
    Document,
    Item,
    ItemScoresBasis,
    MeetingKind,
    RankingScope,
)
from parindex.numbers import format_points
from parindex.selectors import assessments_visible_to, year_ranking
from parindex.selectors.plan import meeting_counts, plan_completion, service_figure_rates
from parindex.selectors.rankings import APPRAISED_STATUSES, assessment_rank, result_is_published
from parindex.selectors.tree import assessment_tree

from .body_texts import report_body_texts
from .text import (
    ascii_slug,
    count_text,
    date_long,
    date_short,
    nfc,
    number_symbol,
    percent_text,
    place_date_line,
    sentence_list,
)

# Bump when the layout of the data changes, so files made by older code count as outdated.
DATA_VERSION = 3

ZERO = Decimal("0")


class ReportDataError(ParIndexError):
    """The data cannot make a report (e.g. an assessment without a criteria tree). The message is
    Vietnamese and shown to the user as the job's error; such errors are never retried."""


def data_fingerprint(data):
    payload = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _block(style, *runs):
    return {"style": style, "runs": [[text, fmt] for text, fmt in runs]}


def _p(text, style="body"):
    return _block(style, (text, ""))


def _items(lines, style="item", prefix="- ", last_end="."):
    return [_p(f"{prefix}{line}", style) for line in sentence_list(lines, last_end)]


def _narrative(text):
    """Free text typed by the commune: one paragraph per line; "-", "+" lines stay list items."""
    blocks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        blocks.append(_p(line, "item" if line[:1] in "-+•" else "body"))
    return blocks


def _points(value):
    return format_points(value) if value is not None else ""


def _fraction(value, maximum):
    """"6,73/11,50": always two decimals, Vietnamese style (never "6/11,00" or "4,5/9,00")."""
    return f"{format_points(value)}/{format_points(maximum)}"


def _appraiser_level(assessment):
    parent = assessment.unit.parent
    if assessment.year.ranking_scope == RankingScope.DISTRICT and parent is not None and parent.is_district:
        return parent.kind_label
    return "tỉnh"


def _document_line(doc):
    summary = doc.summary.strip().rstrip(".;")
    if summary[:3] == "Về ":
        summary = "v" + summary[1:]
    line = f"{doc.get_doc_type_display()} số {doc.number_symbol} ngày {date_short(doc.issued_on)} của {doc.issuer} {summary}"
    # A document invented for the demo must not pass for a real one.
    return f"{line} (minh họa)" if doc.is_illustrative else line


def _recipient_lines(unit):
    lines = [r.text.strip().lstrip("-").strip() for r in Recipient.objects.filter(unit=unit)]
    lines = [line for line in lines if line]
    keep = [line for line in lines if not line.lower().startswith("lưu")]
    archive = next((line for line in lines if line.lower().startswith("lưu")), "Lưu: VT")
    return [f"- {line}" for line in sentence_list(keep + [archive])]


def _signatory(assessment):
    if assessment.signatory_id:
        return assessment.signatory
    return (
        Signatory.objects.filter(unit=assessment.unit, active=True).order_by("-is_default", "position", "id").first()
    )


def _chart(totals, appraised):
    return {
        "title": "Điểm tự đánh giá và điểm thẩm định theo lĩnh vực",
        "labels": [f"LV{a.code}" for a in totals.areas],
        "names": [a.name for a in totals.areas],
        "series": [
            {"name": "Điểm tối đa", "values": [a.max_points for a in totals.areas]},
            {"name": "Tự đánh giá", "values": [a.self_total for a in totals.areas]},
        ] + ([{"name": "Thẩm định", "values": [a.appraised_total for a in totals.areas]}] if appraised else []),
        "totals": {"Điểm tối đa": totals.max_points, "Tự đánh giá": totals.self_total,
                   "Thẩm định": totals.appraised_total if appraised else None},
    }


def legal_basis_text(criteria_set):
    """The criteria set's legal basis, whole: "Quyết định số 673/QĐ-UBND ngày 17/7/2023 của UBND tỉnh
    Quảng Ngãi về phê duyệt Đề án “…” giai đoạn 2023-2030"; its name when no decision is recorded."""
    if not criteria_set.decision_number:
        return f"“{criteria_set.name}”"
    text = f"Quyết định số {criteria_set.decision_number}"
    if criteria_set.decision_date:
        text += f" ngày {date_short(criteria_set.decision_date)}"
    if criteria_set.issuer:
        text += f" của {criteria_set.issuer}"
    if criteria_set.decision_title:
        title = criteria_set.decision_title.strip().rstrip(".")
        text += f" {title}" if title.lower().startswith("về ") else f" về {title}"
    if criteria_set.period:
        period = criteria_set.period.strip()
        text += f" {period}" if period.lower().startswith("giai đoạn") else f" giai đoạn {period}"
    return text


@dataclass
class _Report:
    """What the sections of one commune report are built from, read once."""

    assessment: Assessment
    tree: object
    documents: list
    meetings_by_kind: dict
    plan: object
    rates: object
    texts: dict
    appraised: bool
    published: bool

    @property
    def totals(self):
        return self.tree.totals

    @property
    def year(self):
        return self.assessment.year

    @property
    def unit(self):
        return self.assessment.unit

    @property
    def committee(self):
        return self.unit.committee_short  # "UBND xã Ba Thành", as the body text of the seed writes it

    @property
    def short_committee(self):
        return f"UBND {self.unit.kind_label}"

    def area_max(self, area):
        n_a_areas = {leaf.item.area_id for leaf in self.tree.leaves if not leaf.applicable}
        return area.applicable_max if area.area_id in n_a_areas else area.max_points

    @property
    def documents_count(self):
        """The count the commune declared; the register's own count when it declared none."""
        declared = self.assessment.documents_declared
        return declared if declared is not None else len(self.documents)


def _report_read(assessment):
    assessment = (
        Assessment.objects.select_related("year", "year__criteria_set", "year__scope", "unit", "unit__parent",
                                          "signatory")
        .get(pk=assessment.pk)
    )
    year, unit, criteria_set = assessment.year, assessment.unit, assessment.year.criteria_set
    tree = assessment_tree(assessment=assessment, with_last_year=False)
    if not tree.areas:
        raise ReportDataError(f"Bộ chỉ số “{criteria_set.name}” chưa có lĩnh vực nào: không thể lập báo cáo.")
    if not tree.leaves:
        raise ReportDataError(f"Bản đánh giá của {unit.display_name} năm {year.year} chưa có bảng điểm.")
    appraised = assessment.status in APPRAISED_STATUSES
    return _Report(
        assessment=assessment, tree=tree,
        # The register in the commune's own order (never re-sorted by date).
        documents=list(Document.objects.filter(assessment=assessment).order_by("id")),
        # Counts come from the selectors the plan and meeting pages use.
        meetings_by_kind=meeting_counts(assessment=assessment),
        plan=plan_completion(assessment=assessment),
        # The rates follow the service figures page's rule (a published rate is the official figure).
        rates=service_figure_rates(assessment=assessment),
        texts=report_body_texts(assessment=assessment),
        appraised=appraised,
        published=result_is_published(assessment=assessment),
    )


def _typed(text, style="body"):
    """What the commune typed, printed as typed: one paragraph per line ("-"/"+" lines as list items)."""
    blocks = _narrative(text)
    return [b if b["style"] == "item" else {**b, "style": style} for b in blocks]


def report_header(r):
    """Ô 1–5a. Number and date are given together when the report is issued; a draft leaves both blank."""
    issued = bool(r.assessment.report_number and r.assessment.report_date)
    return {
        "parent_name": r.unit.parent_name.upper(),
        "issuer_lines": r.unit.header_lines,
        "number": number_symbol(r.assessment.report_number if issued else ""),
        "place_date": place_date_line(r.unit.place_name, r.assessment.report_date if issued else None,
                                      timezone.localdate()),
        "doc_type": "BÁO CÁO",
        "subject": f"Kết quả Chỉ số cải cách hành chính năm {r.year.year}",
        "issued": issued,
    }


def illustrative_note(r):
    """The report's own statement of what in it is illustrative (empty for a real record)."""
    if r.assessment.is_illustrative or r.unit.is_illustrative:
        return "DỮ LIỆU MINH HỌA: số liệu của báo cáo này là dữ liệu minh họa, không phải số liệu thật của đơn vị."
    if r.assessment.item_scores_basis == ItemScoresBasis.ILLUSTRATIVE:
        return ("DỮ LIỆU MINH HỌA: điểm từng tiêu chí, tiêu chí thành phần trong Phụ lục được phân bổ từ điểm "
                "của từng lĩnh vực để minh họa; số liệu gốc của đơn vị chỉ có điểm theo lĩnh vực.")
    return ""


def report_intro(r):
    a = r.assessment
    blocks = []
    if a.report_request:
        subject = a.report_request_subject.strip().rstrip(".")
        if subject and not subject.lower().startswith(("về", "v/v")):
            subject = f"về việc {subject}"
        blocks.append(_p(f"Thực hiện {a.report_request.strip().rstrip('.')}{' ' + subject if subject else ''}."))
    return blocks + _typed(r.texts["intro_lead"])


def section_implementation(r):
    """I. Công tác triển khai: the year's theme, meetings, documents, plan tasks, criteria, self-scores."""
    year, totals = r.year, r.totals
    blocks = [_block("heading1", ("I. CÔNG TÁC TRIỂN KHAI XÁC ĐỊNH CHỈ SỐ CCHC", "b"))]
    lead = r.texts["theme_lead"].strip()
    if year.theme and lead:
        blocks.append(_block("body", (lead.rstrip("“\" ") + " “", ""), (year.theme.strip().strip("“”\""), "b"),
                             ("”.", "")))
    blocks += _typed(r.texts["meetings"])
    plan = ""
    if r.assessment.plan_number:
        plan_date = f" ngày {date_short(r.assessment.plan_date)}" if r.assessment.plan_date else ""
        plan = (f"Kết quả thực hiện nhiệm vụ tại Quyết định số {r.assessment.plan_number}{plan_date} của "
                f"{r.committee} về kế hoạch CCHC năm {year.year}, ")
    count = r.documents_count
    blocks.append(_p(f"{plan}{r.short_committee} đã ban hành văn bản liên quan chỉ đạo, điều hành tổng cộng: "
                     f"{count_text(count)} văn bản." if count
                     else f"{plan}{r.short_committee} chưa ban hành văn bản chỉ đạo, điều hành về CCHC."))
    if r.documents:
        blocks.append(_block("label", ("Thống kê cụ thể các văn bản:", "bi")))
        blocks += _items([_document_line(d) for d in r.documents])
    blocks.append(_block("label", ("Kết quả thực hiện:", "bi")))
    plan = r.plan
    if plan.total:
        n = plan.total
        blocks += _items([
            f"Nhiệm vụ xác định năm {year.year}, tổng cộng có: {n} nhiệm vụ",
            f"Hoàn thành: {plan.done}/{n} nhiệm vụ = {percent_text(plan.done_percent)} kế hoạch",
            f"Không hoàn thành: {plan.remaining}/{n} nhiệm vụ = {percent_text(plan.not_done_percent)} kế hoạch",
        ])
    else:
        blocks.append(_p("- Chưa có danh mục nhiệm vụ của kế hoạch CCHC năm.", "item"))
    blocks.append(_block("heading2", ("1. Bộ tiêu chí xác định Chỉ số CCHC quy định:", "b")))
    blocks += _items([
        f"{a.name}: {count_text(a.criteria_count)} tiêu chí"
        + (f" và {count_text(a.sub_criteria_count)} tiêu chí thành phần" if a.sub_criteria_count else "")
        for a in totals.areas
    ])
    blocks.append(_block("heading2", ("2. Điểm tự đánh giá:", "b")))
    blocks += _typed(r.texts["self_lead"])
    blocks += _items([f"{a.name}: Điểm tự đánh giá: {_points(a.self_total)} điểm" for a in totals.areas], prefix="+ ")
    blocks.append(_p(f"Tổng điểm tự đánh giá: {_fraction(totals.self_total, totals.applicable_max)} điểm "
                     f"({percent_text(totals.self_percent)})."))
    blocks.append(_block("heading2", ("3. Về công tác tự đánh giá, chấm điểm Chỉ số CCHC:", "b")))
    blocks.append(_p(f"Căn cứ Bộ Chỉ số CCHC được ban hành kèm theo {legal_basis_text(year.criteria_set)}."))
    blocks += _typed(r.texts["basis_follow"])
    return blocks


def section_results(r):
    """II. Kết quả: each area's appraised points, the chart, and (once published) total and rank."""
    year, totals = r.year, r.totals
    blocks = [_block("heading1", (f"II. KẾT QUẢ CHỈ SỐ CCHC NĂM {year.year}", "b")),
              _block("heading2", ("1. Kết quả từng lĩnh vực, tiêu chí, tiêu chí thành phần", "b"))]
    rank = None
    if r.appraised:
        level = _appraiser_level(r.assessment)
        blocks += _items([f"{a.name}: Kết quả {level} chấm thẩm định đánh giá: "
                          f"{_fraction(a.appraised_total, r.area_max(a))} điểm" for a in totals.areas])
    else:
        blocks.append(_p(f"Chưa có kết quả thẩm định (bản đánh giá đang ở trạng thái "
                         f"“{r.assessment.get_status_display()}”)."))
    blocks.append(_block("chart", ("", "")))
    if r.published:
        rank = assessment_rank(assessment=r.assessment)
        adjust = []
        if totals.bonus:
            adjust.append(f"điểm thưởng {_points(totals.bonus)}")
        if totals.penalty:
            adjust.append(f"điểm trừ {_points(totals.penalty)}")
        text = (f"Tổng điểm: {_fraction(totals.final_total, totals.applicable_max)} điểm"
                + (f" (đã tính {', '.join(adjust)})" if adjust else "")
                + f"; Chỉ số CCHC năm {year.year} của {r.unit.display_name} đạt {percent_text(totals.index_percent)}")
        if rank:
            text += f", xếp thứ {rank['rank']}/{rank['of']} đơn vị cấp xã của {rank['group']}"
            if rank["band"]:
                text += f", xếp loại {rank['band']}"
        blocks.append(_block("heading2", ("2. Tổng điểm, Chỉ số và xếp hạng", "b")))
        blocks.append(_p(text + "."))
    blocks.append(_p("(Có phụ lục kèm theo)", "note"))
    return blocks, rank


def _online_sentence(r):
    figures, rates, year = r.rates.figures, r.rates, r.year
    if not figures or figures.dossiers_received is None:
        return None
    runs = [("- Tỷ lệ nộp hồ sơ trực tuyến (một phần + toàn trình) ", "")]
    if figures.period_start and figures.period_end:
        runs.append((f"(từ ngày {date_short(figures.period_start)} đến ngày {date_short(figures.period_end)})", "i"))
    runs.append((f" đã tiếp nhận {figures.dossiers_received} hồ sơ", ""))
    if figures.dossiers_online is not None:
        runs.append((f"; trong đó: trực tuyến {figures.dossiers_online}/{figures.dossiers_received} hồ sơ, "
                     f"đạt {percent_text(rates.online.value)} ", ""))
        runs.append((f"(quy định trên {percent_text(year.online_filing_threshold)})", "i"))
    elif figures.online_rate_published is not None:
        runs.append((f"; tỷ lệ trực tuyến đạt {percent_text(figures.online_rate_published)} ", ""))
        runs.append((f"(quy định trên {percent_text(year.online_filing_threshold)})", "i"))
    runs.append((".", ""))
    digitised = []
    if figures.results_digitised is not None:
        digitised.append(f"Số hồ sơ có kết quả số hóa: {figures.results_digitised} hồ sơ")
    if rates.digitised.value is not None:
        digitised.append(f"tỷ lệ số hóa kết quả hồ sơ: {percent_text(rates.digitised.value)}")
    if digitised:
        sentence = ", ".join(digitised)
        runs.append((" " + sentence[:1].upper() + sentence[1:] + ".", ""))
    return _block("item", *runs)


def section_assessment(r):
    """III. Đánh giá chung: the commune's own strengths and weaknesses, and the online-service figures."""
    blocks = [_block("heading1", ("III. ĐÁNH GIÁ CHUNG", "b")), _block("heading2", ("1. Mặt tích cực", "b"))]
    blocks += _narrative(r.assessment.strengths)
    online = _online_sentence(r)
    if online:
        blocks.append(online)
    if len(blocks) == 2:
        blocks.append(_p("(Chưa nhập nội dung.)"))
    blocks.append(_block("heading2", ("2. Những tồn tại, hạn chế, nguyên nhân", "b")))
    blocks += _narrative(r.assessment.weaknesses) or [_p("(Chưa nhập nội dung.)")]
    return blocks


def section_proposals(r):
    return [_block("heading1", ("IV. KIẾN NGHỊ, ĐỀ XUẤT", "b"))] + (_narrative(r.assessment.proposals)
                                                                     or [_p("Không có.")])


def _appendix_row(row, appraised):
    """One line of the appendix from a row of the assessment's tree: an area, a criterion with its
    subtotal, or a leaf with its self and final scores."""
    line = {"code": row.item.code, "name": row.item.name, "level": row.item.level, "is_leaf": row.item.is_leaf,
            "max": row.max_points, "not_applicable": False}
    if row.is_leaf:
        line.update(self=row.self_score, appraised=row.final if appraised else None,
                    not_applicable=not row.applicable)
    else:
        line.update(self=row.self_total, appraised=row.final_total if appraised else None)
    return line


def appendix_rows(r):
    """Every item with criterion and area subtotals; at area level only when the record has no more."""
    if r.assessment.item_scores_basis == ItemScoresBasis.AREAS:
        return [_appendix_row(row, r.appraised) for row in r.tree.areas]
    return [_appendix_row(row, r.appraised) for row in r.tree.rows if row.is_leaf or not row.item.is_leaf]


def appendix_total_rows(r):
    totals, appraised = r.totals, r.appraised
    total_rows = [{"label": "TỔNG CỘNG", "max": totals.max_points, "self": totals.self_total,
                   "appraised": totals.appraised_total if appraised else None}]
    if totals.bonus or totals.penalty:
        total_rows += [
            {"label": "Điểm thưởng", "max": None, "self": None, "appraised": totals.bonus},
            {"label": "Điểm trừ", "max": None, "self": None, "appraised": totals.penalty},
            {"label": "TỔNG ĐIỂM", "max": None, "self": None, "appraised": totals.final_total},
        ]
    if totals.applicable_max != totals.max_points:
        total_rows.append({"label": "Tổng điểm tối đa của các nội dung áp dụng", "max": totals.applicable_max,
                           "self": None, "appraised": None})
    return total_rows


def appendix_row_groups(rows):
    """Rows grouped so that a heading row (area, or criterion with sub-criteria) stays on the page of
    its first items: each group is a heading row with the rows up to and including its first leaf."""
    groups, current = [], []
    for row in rows:
        current.append(row)
        if row["is_leaf"] or row.get("not_applicable"):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def report_appendix(r, header):
    rows, total_rows = appendix_rows(r), appendix_total_rows(r)
    for row in rows + total_rows:
        for key in ("max", "self", "appraised"):
            row[f"{key}_text"] = _points(row[key])
        if row.get("not_applicable"):
            row["self_text"] = row["appraised_text"] = "Không áp dụng"
    reference_number = header["number"].removeprefix("Số:").lstrip(" ")  # keep the blank (NBSP) of a draft
    reference_date = (date_long(r.assessment.report_date) if header["issued"]
                      else place_date_line("", None, timezone.localdate()).lstrip(", "))
    notes = []
    if r.assessment.item_scores_basis == ItemScoresBasis.AREAS:
        notes.append("Ghi chú: số liệu của đơn vị chỉ có điểm theo lĩnh vực; bảng không chia điểm cho từng tiêu chí.")
    if r.year.criteria_set.is_sample and r.assessment.item_scores_basis != ItemScoresBasis.AREAS:
        # A set shipped as sample content must say so wherever its items are printed.
        notes.append("Ghi chú: nội dung tiêu chí dưới cấp lĩnh vực là nội dung mẫu của phần mềm, không phải văn "
                     "bản chính thức của Bộ chỉ số; cần nhập bộ chỉ số chính thức của tỉnh.")
    return {
        "heading": "Phụ lục",
        "title": f"BẢNG ĐIỂM CHI TIẾT CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {r.year.year}",
        "reference": f"(Kèm theo Báo cáo số {reference_number} {reference_date} của {r.unit.committee_name})",
        "subtitle": f"{r.unit.committee_name}",
        "columns": ["Mã", "Tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định"],
        "rows": rows,
        "row_groups": appendix_row_groups(rows),
        "total_rows": total_rows,
        "sample_note": " ".join(notes),
        "areas_only": r.assessment.item_scores_basis == ItemScoresBasis.AREAS,
    }


def report_key_figures(r):
    figures, plan = r.rates.figures, r.plan
    key_figures = [
        ("Số văn bản chỉ đạo, điều hành đã ban hành", r.documents_count, "count"),
        ("Số văn bản có trong danh mục", len(r.documents), "count"),
        ("Số hội nghị về CCHC", r.meetings_by_kind[MeetingKind.CONFERENCE], "count"),
        ("Số phiên họp thường kỳ có nội dung CCHC", r.meetings_by_kind[MeetingKind.REGULAR], "count"),
        ("Số nhiệm vụ của kế hoạch CCHC năm", plan.total, "count"),
        ("Số nhiệm vụ hoàn thành", plan.done, "count"),
        ("Tỷ lệ hoàn thành (%)", plan.done_percent, "percent"),
        ("Số nhiệm vụ không hoàn thành", plan.remaining, "count"),
        ("Tỷ lệ không hoàn thành (%)", plan.not_done_percent, "percent"),
        ("Số hồ sơ tiếp nhận", figures.dossiers_received if figures else None, "count"),
        ("Số hồ sơ trực tuyến (một phần + toàn trình)", figures.dossiers_online if figures else None, "count"),
        ("Tỷ lệ hồ sơ trực tuyến (%)", r.rates.online.value, "percent"),
        ("Số hồ sơ có kết quả số hóa", figures.results_digitised if figures else None, "count"),
        ("Tỷ lệ số hóa kết quả hồ sơ (%)", r.rates.digitised.value, "percent"),
    ]
    return [
        {"label": label, "value": value, "kind": kind,
         "text": (percent_text(value) if kind == "percent" else str(value)) if value is not None else ""}
        for label, value, kind in key_figures
    ]


def commune_report_data(*, assessment):
    """Everything the commune's báo cáo kết quả Chỉ số CCHC shows, as plain data, one builder per part."""
    r = _report_read(assessment)
    year, unit, totals, appraised = r.year, r.unit, r.totals, r.appraised
    header = report_header(r)
    results, rank = section_results(r)
    signatory = _signatory(r.assessment)
    data = {
        "version": DATA_VERSION,
        "kind": "commune",
        "year": year.year,
        "unit": {"code": unit.code, "display_name": unit.display_name, "committee": unit.committee_name},
        "filename_stem": f"bao-cao-chi-so-cchc-{year.year}-{ascii_slug(unit.display_name)}",
        "title": f"Báo cáo kết quả Chỉ số CCHC năm {year.year} — {r.committee}",
        "illustrative": bool(r.assessment.is_illustrative or unit.is_illustrative),
        "illustrative_note": illustrative_note(r),
        "appraised": appraised,
        "published": r.published,
        "header": header,
        "intro": report_intro(r),
        "sections": [section_implementation(r), results, section_assessment(r), section_proposals(r)],
        "closing": r.texts["closing"].strip(),
        "recipients": _recipient_lines(unit),
        "signature": {
            "authority_lines": signatory.authority_lines if signatory else ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
            "name": signatory.full_name if signatory else "",
        },
        "chart": _chart(totals, appraised),
        "areas": [
            {"code": a.code, "name": a.name, "max": a.max_points, "applicable_max": r.area_max(a),
             "criteria": a.criteria_count, "sub_criteria": a.sub_criteria_count,
             "self": a.self_total, "appraised": a.appraised_total if appraised else None,
             "fraction": _fraction(a.appraised_total, r.area_max(a)) if appraised else ""}
            for a in totals.areas
        ],
        "totals": {
            "max": totals.max_points, "applicable_max": totals.applicable_max, "self": totals.self_total,
            "appraised": totals.appraised_total if appraised else None,
            "final": totals.final_total if r.published else None,
            "index_percent": totals.index_percent if r.published else None,
            "rank": rank,
        },
        "figures": report_key_figures(r),
        "appendix": report_appendix(r, header),
    }
    return nfc(data)


def assignment_lines(*, year):
    """Who appraised which area or criterion (years appraised by area); empty otherwise."""
    from parindex.selectors.assignments import year_assignments

    lines, whole_areas = [], set()
    for a in year_assignments(year=year):
        if a.item.parent_id is None and not a.communes.all():
            whole_areas.add(a.item_id)
        scope = ", ".join(c.display_name for c in a.communes.all()) or "tất cả các xã"
        label = "Lĩnh vực" if a.item.parent_id is None else "Tiêu chí"
        lines.append({"item": f"{label} {a.item.code}. {a.item.name}", "assignee": a.assignee_name, "scope": scope})
    areas = set(Item.objects.filter(criteria_set_id=year.criteria_set_id, parent__isnull=True).values_list("id", flat=True))
    if lines and areas - whole_areas:
        lines.append({"item": "Các tiêu chí còn lại", "assignee": "Sở Nội vụ (cơ quan chủ trì thẩm định)",
                      "scope": "tất cả các xã"})
    return lines


def summary_report_data(*, year, unit, user=None):
    """The summary of one group (a district, or the province): every commune under `unit` that the
    user may see, with per-area points, total, index %, rank and band from the ranking selector."""
    from communes.selectors import units_visible_to

    if user is not None and not units_visible_to(user).filter(pk=unit.pk).exists():
        raise ReportDataError("Bạn không có quyền xem tổng hợp của đơn vị này.")
    # Ranks are a property of the whole group, so rank every assessment of the year, then keep the
    # rows under `unit` that the user sees.
    peers = Assessment.objects.filter(year=year).select_related("unit", "unit__parent")
    visible_ids = None
    if user is not None:
        visible_ids = set(assessments_visible_to(user).filter(year=year).values_list("id", flat=True))
    results = [
        r for r in year_ranking(year=year, assessments=peers, with_areas=True)
        if r.unit.path.startswith(unit.path) and r.unit.is_commune and (visible_ids is None or r.assessment.id in visible_ids)
    ]
    if not results:
        raise ReportDataError(f"Không có đơn vị cấp xã nào thuộc {unit.display_name} trong kỳ đánh giá năm {year.year}.")
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.group.path, r.unit.name))
    areas = [{"code": a.code, "name": a.name, "max": a.max_points, "max_text": _points(a.max_points)}
             for a in results[0].totals.areas]
    rows = []
    for r in results:
        final = r.assessment.status in APPRAISED_STATUSES
        t = r.totals
        values = [a.appraised_total if final else None for a in t.areas]
        rows.append({
            "unit": r.unit.display_name,
            "unit_label": r.unit.display_name[:1].upper() + r.unit.display_name[1:],
            "group": r.group.display_name,
            "status": r.assessment.get_status_display(),
            "areas": values,
            "areas_text": [_points(v) for v in values],
            "total": t.final_total if final else None,
            "total_text": _points(t.final_total) if final else "",
            "max": t.applicable_max,
            "index_percent": t.index_percent if final else None,
            "index_text": percent_text(t.index_percent) if final and t.index_percent is not None else "",
            "rank": r.rank,
            "band": r.band,
            "self_total": t.self_total,
        })
    ranked = [row for row in rows if row["index_percent"] is not None]
    council = CouncilDecision.objects.filter(year=year).first()
    data = {
        "version": DATA_VERSION,
        "kind": "summary",
        "basis": f"Căn cứ {council.citation}." if council is not None and council.citation else "",
        "appraisers": assignment_lines(year=year),
        "year": year.year,
        "unit": {"code": unit.code, "display_name": unit.display_name},
        "filename_stem": f"tong-hop-chi-so-cchc-{year.year}-{ascii_slug(unit.display_name)}",
        "title": f"BẢNG TỔNG HỢP KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year.year}",
        "subtitle": f"Các đơn vị cấp xã thuộc {unit.display_name}",
        "published": year.is_published,
        "illustrative": any(r.assessment.is_illustrative for r in results),
        "areas": areas,
        "rows": rows,
        "groups": sorted({row["group"] for row in rows}),
        "chart": {
            "title": "Chỉ số CCHC (%) của các đơn vị",
            "labels": [row["unit_label"] for row in ranked],
            "series": [{"name": "Chỉ số CCHC (%)", "values": [row["index_percent"] for row in ranked]}],
        },
    }
    return nfc(data)
