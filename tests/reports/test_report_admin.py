"""The admin shows report jobs read-only: jobs change only through the report services."""

from django.urls import reverse

from reports.models import ReportJob, ReportType
from tests.factories import UserFactory


def test_report_jobs_are_listed_and_viewable_but_not_editable(world, client):
    job = ReportJob.objects.create(report_type=ReportType.COMMUNE_PDF, assessment=world.assessment_a,
                                   year=world.year, unit=world.commune_a, requested_by=world.officer_a)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:reports_reportjob_changelist")).status_code == 200
    page = client.get(reverse("admin:reports_reportjob_change", args=[job.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.get(reverse("admin:reports_reportjob_add")).status_code == 403
