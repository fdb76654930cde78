"""Fixtures of the report tests.

`demo` is the data of `python manage.py load_demo` (xã Ba Thành's real 2024 figures). Report jobs
go through the real Celery task: eagerly (in-process) here, except in tests marked `services`,
which need a real worker."""

import io
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from parindex.celery_app import app as celery_app
from parindex.models import Assessment

BA_THANH_CODE, BA_TO_CODE = "21199", "513"

# What every format of the Ba Thành 2024 report must carry (the seed report's figures, with the
# decimals NĐ30-style reports print: always two).
AREA_RESULTS = ["6,73/11,50", "6,00/11,00", "15,46/21,00", "4,50/9,00", "7,50/14,00", "7,24/12,00",
                "7,27/17,50", "4,00/4,00"]
KEY_FIGURES = ["57/58", "98,28%", "1,72%", "946", "95,39%"]
HEADER = ["ỦY BAN NHÂN DÂN", "XÃ BA THÀNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
SIGNATORY = "Phạm Văn Thước"


@contextmanager
def eager_tasks():
    """Run tasks in-process even when a broker is configured (the services run)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Eager tasks everywhere except in the tests that exercise the real worker."""
    if request.node.get_closest_marker("services"):
        yield
        return
    with eager_tasks():
        yield


@pytest.fixture
def media(settings, tmp_path):
    """A private MEDIA_ROOT per test (report files are written there)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def load_demo():
    call_command("load_demo", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    ba_thanh = Assessment.objects.select_related("unit", "year").get(unit__code=BA_THANH_CODE, year__year=2024)
    return SimpleNamespace(ba_thanh=ba_thanh, year=ba_thanh.year, district=ba_thanh.unit.parent, users=users,
                           officer=users["canbo.bathanh"], appraiser=users["thamdinh.bato"],
                           other_appraiser=users["thamdinh.minhlong"], viewer=users["xem.bato"])


@pytest.fixture
def demo(db, media):
    return load_demo()


def pdf_text(path):
    """The PDF's extracted text (poppler's pdftotext), whitespace collapsed."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def pdf_page_texts(path):
    """The text of each page, as pdftotext separates pages (form feed)."""
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                            check=True)
    return result.stdout.decode("utf-8").split("\f")[:-1]


def artifacts_dir():
    folder = Path(os.environ.get("E2E_ARTIFACTS") or "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_page_one_png(pdf_path, name):
    """CI keeps a picture of page 1 of the report (pdftoppm, 60 dpi)."""
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is required"
    stem = artifacts_dir() / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(stem)],
                   check=True)
    return stem.with_suffix(".png")


@pytest.fixture(scope="session")
def demo_files(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's reports in every format, each requested through report_request and rendered by the
    Celery task (eagerly), made once for the session and copied out; the database is rolled back."""
    from django.db import transaction
    from django.test import TestCase

    from reports.models import ReportType
    from reports.services import report_request

    folder = tmp_path_factory.mktemp("demo-reports")
    files = SimpleNamespace(jobs={})
    with django_db_blocker.unblock(), eager_tasks(), transaction.atomic():
        demo = load_demo()
        files.leaf_codes = list(demo.ba_thanh.scores.values_list("item__code", flat=True))
        requests = {
            "pdf": dict(report_type=ReportType.COMMUNE_PDF, assessment=demo.ba_thanh),
            "docx": dict(report_type=ReportType.COMMUNE_DOCX, assessment=demo.ba_thanh),
            "xlsx": dict(report_type=ReportType.COMMUNE_XLSX, assessment=demo.ba_thanh),
            "summary_pdf": dict(report_type=ReportType.SUMMARY_PDF, year=demo.year, unit=demo.district),
            "summary_xlsx": dict(report_type=ReportType.SUMMARY_XLSX, year=demo.year, unit=demo.district),
        }
        for name, params in requests.items():
            user = demo.officer if "assessment" in params else demo.appraiser
            with TestCase.captureOnCommitCallbacks(execute=True):
                job = report_request(user=user, **params)
            job.refresh_from_db()
            files.jobs[name] = SimpleNamespace(status=job.status, error=job.error, attempts=job.attempts,
                                               progress=job.progress, filename=job.filename, task_id=job.task_id)
            if job.file:
                target = folder / job.filename
                with job.file.open("rb") as source:
                    target.write_bytes(source.read())
                job.file.delete(save=False)
                setattr(files, name, target)
        transaction.set_rollback(True)
    return files
