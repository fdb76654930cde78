"""The WeasyPrint side: only static files may be fetched, one font configuration per process, and
what the commune report says for illustrative and published data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from parindex.models import AssessmentStatus
from reports import pdf
from reports.data import commune_report_data
from tests.factories import fill_scores

from .conftest import pdf_text


def test_the_fetcher_serves_the_bundled_fonts_and_css():
    fetcher = pdf.static_only_url_fetcher()
    font = settings.BASE_DIR / "static" / "fonts" / "liberation-serif" / "LiberationSerif-Regular.ttf"
    response = fetcher.fetch(font.as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    css = fetcher.fetch((settings.BASE_DIR / "static" / "css" / "report-print.css").as_uri())
    assert b"@font-face" in css.read()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (settings.BASE_DIR / "manage.py").as_uri(),
    (settings.BASE_DIR / "static" / ".." / "manage.py").as_uri(),
    "http://127.0.0.1:8000/healthz",
    "https://example.com/logo.png",
    "ftp://example.com/x",
])
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="không được phép"):
        pdf.static_only_url_fetcher().fetch(url)


def test_one_font_configuration_serves_every_pdf_of_the_process():
    assert pdf.font_config() is pdf.font_config()


def _render(assessment, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.commune_report_pdf(commune_report_data(assessment=assessment)))
    return pdf_text(path)


def test_illustrative_data_is_marked_on_the_pages(world, tmp_path):
    fill_scores(world.assessment_a, self_share=1)
    world.assessment_a.is_illustrative = True
    world.assessment_a.save()
    assert "DỮ LIỆU MINH HỌA" in _render(world.assessment_a, tmp_path)


def test_published_results_bring_the_total_index_and_rank(world, tmp_path):
    from parindex.models import Assessment

    fill_scores(world.assessment_a, self_share=1, appraised_share=1)
    fill_scores(world.assessment_b, self_share=1, appraised_share=Decimal("0.5"))
    Assessment.objects.filter(pk__in=[world.assessment_a.pk, world.assessment_b.pk]).update(
        status=AssessmentStatus.PUBLISHED)
    world.year.published_at = timezone.now()
    world.year.save()
    world.assessment_a.refresh_from_db()
    world.assessment_a.report_number = "7"
    world.assessment_a.report_date = dt.date(2025, 2, 3)
    world.assessment_a.save()
    text = _render(world.assessment_a, tmp_path)
    assert "Tổng điểm: 10,00/10,00 điểm" in text
    assert "đạt 100,00%, xếp thứ 1/2 đơn vị cấp xã của huyện Ba Tơ, xếp loại Tốt" in text
    assert "Số: 07/BC-UBND" in text and "ngày 03 tháng 02 năm 2025" in text


def test_before_appraisal_the_report_says_there_is_no_result_yet(world, tmp_path):
    fill_scores(world.assessment_a, self_share=1)
    text = _render(world.assessment_a, tmp_path)
    assert "Chưa có kết quả thẩm định" in text and "Tổng điểm:" not in text
