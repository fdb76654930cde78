"""The remedy plan of xã Ba Thành (drafted from its 2024 lost points) as a Kế hoạch in the NĐ30 layout,
PDF and DOCX, through the same report jobs as the commune report."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from docx import Document
from pypdf import PdfReader

from parindex.services.remedy import remedy_line_update, remedy_plan_draft, remedy_plan_update
from reports.models import JobStatus, ReportType
from reports.services import report_request

from .conftest import HEADER, SIGNATORY

EDITED = "Ban hành Kế hoạch CCHC năm 2025 trước ngày 31/12/2024, đủ nội dung theo hướng dẫn của tỉnh."


@pytest.fixture
def drafted(demo):
    plan = remedy_plan_draft(assessment=demo.ba_thanh, actor=demo.officer)
    remedy_plan_update(plan=plan, actor=demo.officer, number="195", issued_on=None)
    first = plan.lines.order_by("order").first()
    remedy_line_update(line=first, actor=demo.officer, content=EDITED)
    demo.plan = plan
    return demo


def render(demo, report_type, user=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = report_request(user=user or demo.officer, report_type=report_type, assessment=demo.ba_thanh)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job


def test_the_pdf_is_a_ke_hoach_with_the_nd30_header_the_tasks_and_the_signature(drafted, tmp_path):
    job = render(drafted, ReportType.REMEDY_PDF)
    assert job.filename == "ke-hoach-khac-phuc-chi-so-cchc-2025-xa-ba-thanh.pdf"
    with job.file.open("rb") as handle:
        reader = PdfReader(handle)
        pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    text = " ".join(pages)
    for expected in HEADER + ["KẾ HOẠCH", "Số: 195/KH-UBND", SIGNATORY, "Nơi nhận:", "./.",
                              "Khắc phục, cải thiện và nâng cao Chỉ số cải cách hành chính năm 2025",
                              "DANH MỤC NHIỆM VỤ KHẮC PHỤC", "(Kèm theo Kế hoạch số 195/KH-UBND"]:
        assert expected in text, expected
    assert " ".join(EDITED.split()[:6]) in text
    lines = list(drafted.plan.lines.select_related("item"))
    assert f"{len(lines):02d} nhiệm vụ" in text
    # Every weak item is in the appendix, with the points it lost.
    appendix = " ".join(pages[1:])
    for line in lines[:5]:
        assert line.item.code in appendix


def test_the_docx_has_the_same_header_and_the_task_table(drafted):
    job = render(drafted, ReportType.REMEDY_DOCX)
    with job.file.open("rb") as handle:
        document = Document(handle)
    header, closing, tasks = document.tables
    assert header.rows[1].cells[0].text == "Số: 195/KH-UBND"
    assert closing.rows[0].cells[1].text.endswith(SIGNATORY)
    assert [c.text for c in tasks.rows[0].cells] == ["STT", "Tiêu chí", "Nội dung nhiệm vụ",
                                                     "Đơn vị, người chủ trì", "Thời hạn", "Sản phẩm dự kiến"]
    assert tasks.rows[1].cells[2].text == EDITED
    assert len(tasks.rows) == 1 + drafted.plan.lines.count()
    assert any(p.text == "KẾ HOẠCH" for p in document.paragraphs)


def test_an_outsider_cannot_request_it(drafted):
    with pytest.raises(PermissionDenied):
        report_request(user=drafted.other_appraiser, report_type=ReportType.REMEDY_PDF, assessment=drafted.ba_thanh)


def test_without_a_plan_the_job_fails_with_the_reason(demo):
    from reports.services import ReportRequestError

    with pytest.raises(ReportRequestError, match="chưa lập kế hoạch khắc phục"):
        report_request(user=demo.officer, report_type=ReportType.REMEDY_PDF, assessment=demo.ba_thanh)
