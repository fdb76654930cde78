"""Issue 15: text a person typed (HTML, script) is printed as the same literal text in the PDF and the
DOCX, never interpreted."""

import io

import pytest

from reports import data as report_data
from reports.models import ReportType
from reports.services import report_file_render

from .conftest import pdf_text

TYPED = '<b>đậm</b><script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def typed_narrative(demo):
    a = demo.ba_thanh
    type(a).objects.filter(pk=a.pk).update(strengths=TYPED, weaknesses="=1+1 " + TYPED)
    a.refresh_from_db()
    return a


def test_the_pdf_prints_typed_html_as_text(typed_narrative, tmp_path):
    content = report_file_render(report_type=ReportType.COMMUNE_PDF,
                                 data=report_data.commune_report_data(assessment=typed_narrative))
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    text = pdf_text(path)
    assert '<b>đậm</b><script>alert("x")</script><img src=x onerror=alert(1)>' in text


def test_the_docx_prints_typed_html_as_text(typed_narrative):
    from docx import Document

    content = report_file_render(report_type=ReportType.COMMUNE_DOCX,
                                 data=report_data.commune_report_data(assessment=typed_narrative))
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert TYPED in text
