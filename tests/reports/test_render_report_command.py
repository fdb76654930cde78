"""`manage.py render_report`: one commune to a file, every commune of a district into a folder, and
the district summary, all through the job path the worker uses (each run leaves a ReportJob)."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from reports.models import JobStatus, ReportJob, ReportType

from .conftest import AREA_RESULTS, BA_THANH_CODE, BA_TO_CODE, HEADER, pdf_text


def _run(*args):
    out = io.StringIO()
    call_command("render_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_renders_one_commune_by_name_to_a_pdf_file(demo, tmp_path):
    target = tmp_path / "ba-thanh.pdf"
    output = _run("--commune", "Ba Thành", "--year", "2024", "--format", "pdf", "--output", str(target))
    assert str(target) in output
    text = pdf_text(target)
    for expected in HEADER + AREA_RESULTS:
        assert expected in text
    job = ReportJob.objects.get()
    assert job.status == JobStatus.DONE and job.report_type == ReportType.COMMUNE_PDF
    assert job.requested_by is None and job.attempts == 1


def test_it_renders_one_commune_by_code_as_docx(demo, tmp_path):
    target = tmp_path / "ba-thanh.docx"
    _run("--commune", BA_THANH_CODE, "--year", "2024", "--format", "docx", "--output", str(target))
    document = Document(target)
    assert "ỦY BAN NHÂN DÂN" in document.tables[0].rows[0].cells[0].text
    assert any("6,73/11,50" in p.text for p in document.paragraphs)


def test_it_renders_every_commune_of_a_district_into_a_folder(demo, tmp_path):
    folder = tmp_path / "ba-to"
    _run("--district", BA_TO_CODE, "--year", "2024", "--format", "xlsx", "--output", str(folder))
    communes = demo.ba_thanh.year.assessments.filter(unit__parent=demo.district).count()
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == communes and "bao-cao-chi-so-cchc-2024-xa-ba-thanh.xlsx" in files
    assert ReportJob.objects.filter(status=JobStatus.DONE).count() == communes
    sheet = openpyxl.load_workbook(folder / "bao-cao-chi-so-cchc-2024-xa-ba-thanh.xlsx")["Kết quả lĩnh vực"]
    assert sheet["G4"].value == pytest.approx(6.73)


def test_it_renders_the_district_summary(demo, tmp_path):
    target = tmp_path / "tong-hop.xlsx"
    _run("--summary", "--district", BA_TO_CODE, "--year", "2024", "--format", "xlsx", "--output", str(target))
    sheet = openpyxl.load_workbook(target)["Tổng hợp"]
    rows = {r[1]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[1]}
    assert rows["Xã Ba Thành"][0] == 5  # rank in the district, from the ranking selector
    assert rows["Xã Ba Thành"][11] == pytest.approx(58.70)  # total points
    assert rows["Xã Ba Thành"][13] == pytest.approx(0.5870)  # index, as a percentage number


def test_it_says_what_is_wrong_in_vietnamese(demo, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy xã “Không Có”"):
        _run("--commune", "Không Có", "--year", "2024", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="không có bản đánh giá năm 2019"):
        _run("--commune", "Ba Thành", "--year", "2019", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="chỉ có dạng pdf hoặc xlsx"):
        _run("--summary", "--district", BA_TO_CODE, "--year", "2024", "--format", "docx",
             "--output", str(tmp_path / "x.docx"))
