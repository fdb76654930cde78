"""The sentences of the report body that are not computed figures: the commune may reword each one.

Without a saved wording the report prints the default below (what the system has always written,
from the commune's data); a saved wording is printed exactly as typed, and an empty one leaves the
sentence out. Saving the default again removes the override, so the default keeps following the
data. Every change is kept in the history of ReportText."""

import re
from dataclasses import dataclass

from django.db import transaction

from parindex.errors import ParIndexError
from parindex.models import Meeting, MeetingKind

from .models import IssuedReport, ReportText
from .text import count_text


class ReportTextError(ParIndexError):
    """A refused change of the report's wording (Vietnamese message)."""


@dataclass(frozen=True)
class BodyText:
    key: str
    label: str
    help: str


BODY_TEXTS = (
    BodyText("intro_lead", "Câu dẫn (sau văn bản yêu cầu báo cáo)", "Ví dụ: “… báo cáo kết quả … cụ thể như sau:”"),
    BodyText("theme_lead", "Đoạn về chủ đề của năm, phần trước chủ đề",
             "Chủ đề của tỉnh (in đậm, trong ngoặc kép) được in ngay sau đoạn này."),
    BodyText("meetings", "Hội nghị, phiên họp về CCHC", "Mặc định lập từ danh sách hội nghị, phiên họp."),
    BodyText("self_lead", "Câu dẫn điểm tự đánh giá", ""),
    BodyText("basis_follow", "Sau câu căn cứ Bộ chỉ số", "Câu căn cứ (quyết định ban hành Bộ chỉ số) được in nguyên văn trước đoạn này."),
    BodyText("closing", "Câu kết", "NĐ30: phần nội dung kết thúc bằng dấu “./.”."),
)
KEYS = tuple(t.key for t in BODY_TEXTS)


def _meetings_default(*, assessment, short_committee):
    meetings = list(Meeting.objects.filter(assessment=assessment).order_by("held_on", "id"))
    year, kind_label = assessment.year.year, assessment.unit.kind_label
    if not meetings:
        return f"Trong năm {year}, {short_committee} chưa tổ chức hội nghị, phiên họp chuyên đề về CCHC."
    titles = {kind: [m.title.strip().rstrip(".;") for m in meetings if m.kind == kind] for kind in MeetingKind.values}
    held = []
    if titles[MeetingKind.CONFERENCE]:
        held.append(f"{count_text(len(titles[MeetingKind.CONFERENCE]))} Hội nghị: "
                    + "; ".join(titles[MeetingKind.CONFERENCE]))
    if titles[MeetingKind.SEMINAR]:
        held.append(f"{count_text(len(titles[MeetingKind.SEMINAR]))} buổi tọa đàm: "
                    + "; ".join(titles[MeetingKind.SEMINAR]))
    sentences = []
    if held:
        sentences.append(f"Trong năm {year}, {short_committee}, Ban Chỉ đạo CCHC của {kind_label} đã tổ chức "
                         + " và ".join(held) + ".")
    if titles[MeetingKind.REGULAR]:
        sentences.append(f"Hằng tháng, {short_committee} lồng ghép đánh giá công tác triển khai CCHC, chuyển đổi "
                         f"số trong các phiên họp thường kỳ, tổng cộng: {count_text(len(titles[MeetingKind.REGULAR]))}"
                         " phiên họp định kỳ.")
    return " ".join(sentences)


def body_text_defaults(*, assessment):
    """The default wording of every editable sentence, from the commune's data."""
    year, unit = assessment.year.year, assessment.unit
    committee, short_committee = unit.committee_short, f"UBND {unit.kind_label}"
    closing = f"Trên đây là Báo cáo kết quả Chỉ số cải cách hành chính năm {year} của {committee}."
    if assessment.report_addressee:
        closing += f" Kính báo cáo {assessment.report_addressee.strip().rstrip('.')}"
    return {
        "intro_lead": f"{committee} báo cáo kết quả Chỉ số cải cách hành chính năm {year} cụ thể như sau:",
        "theme_lead": (f"Trong năm {year}, {short_committee} đã nỗ lực thực hiện các nhiệm vụ cải cách hành chính, "
                       f"đổi mới trong chỉ đạo, điều hành, góp phần thực hiện các mục tiêu, nhiệm vụ phát triển "
                       f"kinh tế - xã hội năm {year} theo chủ đề tỉnh đã xác định:"),
        "meetings": _meetings_default(assessment=assessment, short_committee=short_committee),
        "self_lead": "Điểm tự đánh giá được xác định cụ thể đối với từng lĩnh vực như sau:",
        "basis_follow": (f"{short_committee} đã tổ chức tự đánh giá, chấm điểm đối với từng tiêu chí, tiêu chí "
                         "thành phần kèm theo tài liệu kiểm chứng và gửi kết quả để thẩm định theo quy định."),
        "closing": closing.rstrip(".") + "./.",
    }


def report_body_texts(*, assessment):
    """key → the wording the report prints: the commune's own where saved, else the default."""
    texts = body_text_defaults(assessment=assessment)
    texts.update(dict(ReportText.objects.filter(assessment=assessment, key__in=KEYS).values_list("key", "text")))
    return texts


def report_texts_overridden(*, assessment):
    return set(ReportText.objects.filter(assessment=assessment, key__in=KEYS).values_list("key", flat=True))


def report_texts_lock_reason(*, assessment, actor):
    if not actor.has_perm("parindex.edit_self_assessment", assessment):
        return f"Bạn không có quyền sửa lời văn báo cáo của {assessment.unit}."
    if IssuedReport.objects.filter(assessment=assessment).exists():
        return "Báo cáo đã ban hành: lời văn được giữ như bản đã ký."
    return None


def _clean(text):
    # Line ends from a browser are CRLF; spaces at the ends of lines are never meant.
    return "\n".join(line.rstrip() for line in re.sub(r"\r\n?", "\n", text or "").strip().split("\n"))


def report_texts_save(*, assessment, actor, texts):
    """Save the commune's wording of the report body (only the keys given). Returns the keys changed."""
    reason = report_texts_lock_reason(assessment=assessment, actor=actor)
    if reason:
        raise ReportTextError(f"Không thể lưu: {reason}")
    unknown = set(texts) - set(KEYS)
    if unknown:
        raise ReportTextError(f"Đoạn không có trong báo cáo: {', '.join(sorted(unknown))}.")
    defaults = body_text_defaults(assessment=assessment)
    saved = {r.key: r for r in ReportText.objects.filter(assessment=assessment, key__in=list(texts))}
    changed = []
    with transaction.atomic():
        for key, value in texts.items():
            value = _clean(value)
            row = saved.get(key)
            if value == _clean(defaults[key]):
                if row is not None:
                    row.delete()
                    changed.append(key)
                continue
            if row is None:
                ReportText.objects.create(assessment=assessment, key=key, text=value, updated_by=actor)
                changed.append(key)
            elif row.text != value:
                row.text, row.updated_by = value, actor
                row.save(update_fields=["text", "updated_by", "updated_at"])
                changed.append(key)
    return changed
