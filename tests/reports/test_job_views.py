"""The report pages: list with request forms, request (POST), job page, JSON status, retry and the
download through the visibility rule, as the world's personas."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from parindex.models import Score
from reports.models import JobStatus, ReportJob, ReportType
from tests.factories import fill_scores


@pytest.fixture
def scored(world, media):
    fill_scores(world.assessment_a, self_share=1)
    return world


def _done_job(world, content=b"PK-xlsx-content", **fields):
    job = ReportJob.objects.create(report_type=ReportType.COMMUNE_XLSX, assessment=world.assessment_a,
                                   year=world.year, unit=world.commune_a, requested_by=world.officer_a,
                                   status=JobStatus.RUNNING, **fields)
    job.file.save("bao-cao.xlsx", ContentFile(content), save=False)
    job.status, job.progress, job.finished_at, job.filename = JobStatus.DONE, 100, timezone.now(), "bao-cao.xlsx"
    job.save()
    return job


def test_the_list_shows_my_jobs_and_the_request_buttons_for_what_i_see(scored, client):
    job = _done_job(scored)
    client.force_login(scored.officer_a)
    response = client.get(reverse("report_job_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("report_job_detail", args=[job.pk]) in html
    assert f'name="assessment" value="{scored.assessment_a.pk}"' in html
    assert f'name="assessment" value="{scored.assessment_b.pk}"' not in html
    assert 'value="summary_pdf"' not in html  # no district in an officer's scope


def test_an_appraiser_can_request_the_district_summary(scored, client, django_capture_on_commit_callbacks):
    client.force_login(scored.appraiser)
    html = client.get(reverse("report_job_list")).content.decode()
    assert f'name="unit" value="{scored.district.pk}"' in html
    assert f'name="unit" value="{scored.other_district.pk}"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_request"), {"report_type": "summary_xlsx", "year": scored.year.pk,
                                                           "unit": scored.district.pk})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("report_job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.unit == scored.district


def test_requesting_a_report_queues_it_and_leads_to_its_page(scored, client, django_capture_on_commit_callbacks):
    client.force_login(scored.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_request"),
                               {"report_type": "commune_xlsx", "assessment": scored.assessment_a.pk})
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("report_job_detail", args=[job.pk])
    assert job.requested_by == scored.officer_a and job.report_type == ReportType.COMMUNE_XLSX
    page = client.get(response["Location"]).content.decode()
    assert reverse("report_job_download", args=[job.pk]) in page


def test_requesting_a_report_of_another_commune_is_not_found(scored, client):
    client.force_login(scored.officer_b)
    response = client.post(reverse("report_request"),
                           {"report_type": "commune_pdf", "assessment": scored.assessment_a.pk})
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


def test_a_bad_request_comes_back_with_the_reason_in_vietnamese(scored, client):
    client.force_login(scored.officer_a)
    response = client.post(reverse("report_request"), {"report_type": "nope"}, follow=True)
    assert "Loại báo cáo không hợp lệ." in response.content.decode()
    Score.objects.filter(assessment=scored.assessment_a).delete()
    response = client.post(reverse("report_request"),
                           {"report_type": "commune_pdf", "assessment": scored.assessment_a.pk}, follow=True)
    assert "chưa có bảng điểm" in response.content.decode()


def test_a_running_job_page_refreshes_itself_from_the_json_status(scored, client):
    job = ReportJob.objects.create(report_type=ReportType.COMMUNE_PDF, assessment=scored.assessment_a,
                                   year=scored.year, unit=scored.commune_a, requested_by=scored.officer_a,
                                   status=JobStatus.RUNNING, progress=30)
    client.force_login(scored.officer_a)
    html = client.get(reverse("report_job_detail", args=[job.pk])).content.decode()
    assert "js/report-job.js" in html and reverse("report_job_status", args=[job.pk]) in html
    assert 'aria-valuenow="30"' in html
    status = client.get(reverse("report_job_status", args=[job.pk])).json()
    assert status == {"id": job.pk, "status": "running", "status_label": "Đang tạo", "progress": 30, "error": "",
                      "finished": False, "download_url": ""}


def test_a_failed_job_page_shows_the_reason_and_a_retry_that_renders_it(scored, client,
                                                                          django_capture_on_commit_callbacks):
    job = ReportJob.objects.create(report_type=ReportType.COMMUNE_XLSX, assessment=scored.assessment_a,
                                   year=scored.year, unit=scored.commune_a, requested_by=scored.officer_a,
                                   status=JobStatus.FAILED, error="Lỗi kết nối cơ sở dữ liệu", attempts=4)
    client.force_login(scored.officer_a)
    html = client.get(reverse("report_job_detail", args=[job.pk])).content.decode()
    assert "Không tạo được báo cáo: Lỗi kết nối cơ sở dữ liệu" in html
    assert reverse("report_job_retry", args=[job.pk]) in html
    assert client.get(reverse("report_job_status", args=[job.pk])).json()["error"] == "Lỗi kết nối cơ sở dữ liệu"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_job_retry", args=[job.pk]))
    assert response["Location"] == reverse("report_job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.error == "" and job.attempts == 5


def test_a_done_job_whose_data_changed_is_shown_as_outdated(scored, client, django_capture_on_commit_callbacks):
    client.force_login(scored.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_request"), {"report_type": "commune_xlsx", "assessment": scored.assessment_a.pk})
    job = ReportJob.objects.get()
    page = reverse("report_job_detail", args=[job.pk])
    assert "Đã cũ" not in client.get(page).content.decode()
    Score.objects.filter(assessment=scored.assessment_a).update(self_score=0)
    html = client.get(page).content.decode()
    assert "Đã cũ" in html and "Tạo tệp mới" in html
    assert reverse("report_job_download", args=[job.pk]) in html  # the old file stays available


@pytest.mark.parametrize(("persona", "expected"), [
    ("officer_a", 200), ("leader_a", 200), ("appraiser", 200), ("admin", 200), ("viewer", 200),
    ("officer_b", 404), ("other_appraiser", 404),
])
def test_the_download_applies_the_visibility_rule(world, media, client, persona, expected):
    job = _done_job(world, content=b"noi-dung-bao-cao")
    client.force_login(getattr(world, persona))
    response = client.get(reverse("report_job_download", args=[job.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == b"noi-dung-bao-cao"
        assert 'attachment; filename="bao-cao.xlsx"' in response["Content-Disposition"]
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_download_asks_an_anonymous_visitor_to_sign_in(world, media, client):
    job = _done_job(world)
    response = client.get(reverse("report_job_download", args=[job.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_job_without_its_file_has_nothing_to_download(world, media, client):
    job = ReportJob.objects.create(report_type=ReportType.COMMUNE_PDF, assessment=world.assessment_a,
                                   year=world.year, unit=world.commune_a, requested_by=world.officer_a)
    client.force_login(world.officer_a)
    assert client.get(reverse("report_job_download", args=[job.pk])).status_code == 404
    purged = _done_job(world)
    purged.file.delete(save=False)  # gone from storage, e.g. removed by hand
    assert client.get(reverse("report_job_download", args=[purged.pk])).status_code == 404
