"""The data of the remedy plan (Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số CCHC năm N+1) as a
Kế hoạch of UBND xã in the layout of Nghị định 30/2020/NĐ-CP: the same header, recipients and
signature as the commune report (reports.data), a short body and the task table as its appendix."""

from django.utils import timezone

from parindex.models import Assessment
from parindex.numbers import format_points
from parindex.selectors import assessment_totals
from parindex.selectors.remedy import remedy_plan_of

from .data import DATA_VERSION, ReportDataError, _block, _items, _p, _recipient_lines, _signatory
from .text import ascii_slug, date_long, date_short, nfc, number_symbol, place_date_line


def _area_lines(totals):
    lines = []
    for area in totals.areas:
        lost = area.applicable_max - area.appraised_total
        lines.append(f"Lĩnh vực {area.code}. {area.name}: đạt {format_points(area.appraised_total)}/"
                     f"{format_points(area.applicable_max)} điểm"
                     + (f", mất {format_points(lost)} điểm" if lost > 0 else ", đạt điểm tối đa"))
    return lines


def remedy_plan_report_data(*, assessment):
    assessment = Assessment.objects.select_related("year", "year__criteria_set", "unit", "unit__parent",
                                                   "signatory").get(pk=assessment.pk)
    plan = remedy_plan_of(assessment=assessment)
    unit, year = assessment.unit, assessment.year.year
    if plan is None:
        raise ReportDataError(f"{unit.committee_short} chưa lập kế hoạch khắc phục của kết quả năm {year}.")
    next_year = year + 1
    committee = unit.committee_short
    totals = assessment_totals(assessment=assessment)
    lines = list(plan.lines.all())
    number = number_symbol(plan.number, type_code="KH")
    reference_number = number.removeprefix("Số:").lstrip(" ")
    reference_date = date_long(plan.issued_on) if plan.issued_on else \
        place_date_line("", None, timezone.localdate()).lstrip(", ")
    subject = f"Khắc phục, cải thiện và nâng cao Chỉ số cải cách hành chính năm {next_year}"

    intro = [
        _block("body", (f"Căn cứ kết quả xác định Chỉ số cải cách hành chính năm {year} của {committee} (điểm "
                         f"thẩm định {format_points(totals.appraised_total)}/{format_points(totals.applicable_max)} "
                         "điểm);", "i")),
        _p(f"{committee} ban hành Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số cải cách hành chính năm "
           f"{next_year} như sau:"),
    ]
    s1 = [_block("heading1", ("I. MỤC ĐÍCH, YÊU CẦU", "b"))]
    s1 += _items([
        f"Khắc phục những tồn tại, hạn chế ở các tiêu chí, tiêu chí thành phần bị mất điểm trong Chỉ số cải "
        f"cách hành chính năm {year}; phấn đấu nâng cao kết quả Chỉ số cải cách hành chính năm {next_year}",
        "Xác định rõ nội dung nhiệm vụ, đơn vị, người chủ trì, thời hạn hoàn thành và sản phẩm dự kiến; gắn "
        "trách nhiệm của từng bộ phận, công chức với kết quả thực hiện",
    ])
    s2 = [_block("heading1", (f"II. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}", "b"))]
    s2.append(_p(f"Tổng điểm thẩm định: {format_points(totals.appraised_total)}/"
                 f"{format_points(totals.applicable_max)} điểm; điểm bị mất theo từng lĩnh vực:"))
    s2 += _items(_area_lines(totals))
    s3 = [_block("heading1", ("III. NHIỆM VỤ, GIẢI PHÁP", "b")),
          _p(f"Tập trung thực hiện {len(lines):02d} nhiệm vụ khắc phục, cải thiện đối với các tiêu chí bị mất "
             "điểm (chi tiết tại Phụ lục kèm theo).")]
    s4 = [_block("heading1", ("IV. TỔ CHỨC THỰC HIỆN", "b"))]
    s4 += _items([
        "Các bộ phận, công chức được giao chủ trì triển khai thực hiện các nhiệm vụ tại Phụ lục kèm theo, bảo "
        "đảm đúng thời hạn và có sản phẩm cụ thể; báo cáo kết quả về Văn phòng - Thống kê để tổng hợp",
        f"Văn phòng - Thống kê theo dõi, đôn đốc, tổng hợp kết quả thực hiện, báo cáo Chủ tịch {committee}; "
        f"các nhiệm vụ được đưa vào Kế hoạch cải cách hành chính năm {next_year} của {committee}",
    ])
    closing = (f"Trên đây là Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số cải cách hành chính năm {next_year} "
               f"của {committee}./.")
    signatory = _signatory(assessment)
    data = {
        "version": DATA_VERSION,
        "kind": "remedy_plan",
        "year": year,
        "unit": {"code": unit.code, "display_name": unit.display_name, "committee": unit.committee_name},
        "filename_stem": f"ke-hoach-khac-phuc-chi-so-cchc-{next_year}-{ascii_slug(unit.display_name)}",
        "title": f"Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số CCHC năm {next_year} — {committee}",
        "illustrative": bool(assessment.is_illustrative or unit.is_illustrative),
        "status": plan.get_status_display(),
        "header": {
            "parent_name": unit.parent_name.upper(),
            "issuer_lines": unit.header_lines,
            "number": number,
            "place_date": place_date_line(unit.place_name, plan.issued_on, timezone.localdate()),
            "doc_type": "KẾ HOẠCH",
            "subject": subject,
        },
        "intro": intro,
        "sections": [s1, s2, s3, s4],
        "closing": closing,
        "recipients": _recipient_lines(unit),
        "signature": {
            "authority_lines": signatory.authority_lines if signatory else ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
            "name": signatory.full_name if signatory else "",
        },
        "appendix": {
            "heading": "Phụ lục",
            "title": f"DANH MỤC NHIỆM VỤ KHẮC PHỤC, CẢI THIỆN VÀ NÂNG CAO CHỈ SỐ CCHC NĂM {next_year}",
            "reference": f"(Kèm theo Kế hoạch số {reference_number} {reference_date} của {unit.committee_name})",
            "columns": ["STT", "Tiêu chí", "Nội dung nhiệm vụ", "Đơn vị, người chủ trì", "Thời hạn",
                        "Sản phẩm dự kiến"],
            "rows": [
                {"order": f"{i}", "item": line.item.code if line.item else "",
                 "lost": f"mất {format_points(line.points_lost)} điểm" if line.points_lost else "",
                 "content": line.content, "lead": line.lead,
                 "deadline": date_short(line.deadline) if line.deadline else "", "output": line.expected_output}
                for i, line in enumerate(lines, start=1)
            ],
        },
    }
    return nfc(data)
