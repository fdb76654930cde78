"""Render reports from the command line through the same job path as the Celery worker:
a ReportJob is created and run by reports.services.report_job_run, then its file is copied out.

  manage.py render_report --commune "Ba Thành" --year 2024 --format pdf --output bao-cao.pdf
  manage.py render_report --district D1 --year 2024 --format docx --output thu-muc/
  manage.py render_report --summary --district D1 --year 2024 --format xlsx --output tong-hop.xlsx
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from communes.models import COMMUNE_KINDS, DISTRICT_KINDS, PROVINCE_KINDS, Unit
from parindex.models import Assessment, EvaluationYear
from reports import services
from reports.models import JobStatus, ReportJob, ReportType

COMMUNE_FORMATS = {"pdf": ReportType.COMMUNE_PDF, "docx": ReportType.COMMUNE_DOCX, "xlsx": ReportType.COMMUNE_XLSX}
SUMMARY_FORMATS = {"pdf": ReportType.SUMMARY_PDF, "xlsx": ReportType.SUMMARY_XLSX}


class Command(BaseCommand):
    help = "Tạo báo cáo Chỉ số CCHC (PDF, DOCX, XLSX) của một xã, mọi xã của một huyện, hoặc bảng tổng hợp."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--commune", help="mã hoặc tên xã, ví dụ 21199 hoặc \"Ba Thành\"")
        target.add_argument("--district", help="mã huyện: mọi xã của huyện vào một thư mục (hoặc bảng tổng hợp)")
        target.add_argument("--province", help="mã tỉnh (chỉ dùng với --summary)")
        parser.add_argument("--summary", action="store_true", help="bảng tổng hợp, xếp hạng của huyện/tỉnh")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["pdf", "docx", "xlsx"], default="pdf")
        parser.add_argument("--output", required=True, help="tệp (một xã, tổng hợp) hoặc thư mục (--district)")

    def handle(self, *args, **options):
        fmt, output = options["format"], Path(options["output"])
        if options["summary"]:
            return self._summary(options, fmt, output)
        if options["province"]:
            raise CommandError("--province chỉ dùng cùng --summary.")
        if options["commune"]:
            assessment = self._assessment(self._commune(options["commune"]), options["year"])
            if output.is_dir():
                self._render(COMMUNE_FORMATS[fmt], assessment=assessment, output_dir=output)
            else:
                self._render(COMMUNE_FORMATS[fmt], assessment=assessment, output=output)
            return None
        district = self._unit(options["district"], DISTRICT_KINDS, "huyện")
        output.mkdir(parents=True, exist_ok=True)
        assessments = Assessment.objects.filter(
            year__year=options["year"], unit__path__startswith=district.path, unit__kind__in=COMMUNE_KINDS,
        ).select_related("unit", "year").order_by("unit__name")
        if not assessments:
            raise CommandError(f"Không có bản đánh giá năm {options['year']} nào của các xã thuộc {district}.")
        failed = 0
        for assessment in assessments:
            job = self._render(COMMUNE_FORMATS[fmt], assessment=assessment, output_dir=output, strict=False)
            failed += job.status != JobStatus.DONE
        if failed:
            raise CommandError(f"{failed} báo cáo không tạo được (xem thông báo ở trên).")
        return None

    def _summary(self, options, fmt, output):
        if fmt not in SUMMARY_FORMATS:
            raise CommandError("Bảng tổng hợp chỉ có dạng pdf hoặc xlsx.")
        if options["commune"]:
            raise CommandError("Bảng tổng hợp lập cho một huyện (--district) hoặc một tỉnh (--province).")
        if options["district"]:
            unit = self._unit(options["district"], DISTRICT_KINDS, "huyện")
        else:
            unit = self._unit(options["province"], PROVINCE_KINDS, "tỉnh")
        year = EvaluationYear.objects.filter(year=options["year"]).filter(
            Q(scope__path__startswith=unit.path) | Q(scope__in=unit.ancestors()) | Q(scope=unit),
        ).first()
        if year is None:
            raise CommandError(f"Không có kỳ đánh giá năm {options['year']} cho {unit}.")
        if output.is_dir():
            self._render(SUMMARY_FORMATS[fmt], year=year, unit=unit, output_dir=output)
        else:
            self._render(SUMMARY_FORMATS[fmt], year=year, unit=unit, output=output)

    def _commune(self, value):
        units = Unit.objects.filter(kind__in=COMMUNE_KINDS)
        matches = list(units.filter(code=value)) or list(units.filter(name__iexact=value))
        if not matches:
            matches = [u for u in units.filter(name__icontains=value.split()[-1]) if u.name.lower() == value.lower()]
        if not matches:
            raise CommandError(f"Không tìm thấy xã “{value}” (theo mã hoặc tên).")
        if len(matches) > 1:
            listing = ", ".join(f"{u.code} ({u.display_name}, {u.parent})" for u in matches)
            raise CommandError(f"Có nhiều xã tên “{value}”: {listing}. Hãy dùng mã.")
        return matches[0]

    def _unit(self, code, kinds, word):
        unit = Unit.objects.filter(code=code, kind__in=kinds).first()
        if unit is None:
            raise CommandError(f"Không tìm thấy {word} có mã “{code}”.")
        return unit

    def _assessment(self, unit, year):
        assessment = Assessment.objects.filter(unit=unit, year__year=year).select_related("unit", "year").first()
        if assessment is None:
            raise CommandError(f"{unit.display_name} không có bản đánh giá năm {year}.")
        return assessment

    def _render(self, report_type, assessment=None, year=None, unit=None, output=None, output_dir=None,
                strict=True):
        """The worker's path, run inline: create the job, report_job_run, copy the file out."""
        job = ReportJob.objects.create(
            report_type=report_type, assessment=assessment, year=year or assessment.year,
            unit=unit or assessment.unit, requested_by=None, status=JobStatus.QUEUED,
        )
        try:
            job = services.report_job_run(job=job)
        except services.TRANSIENT_ERRORS as exc:
            # No worker here to retry later: record the failure and report it.
            services.report_job_fail(job_id=job.pk, error=services.describe_error(exc))
            job.refresh_from_db()
        name = (unit or assessment.unit).display_name
        if job.status != JobStatus.DONE:
            message = f"{name}: không tạo được báo cáo: {job.error}"
            if strict:
                raise CommandError(message)
            self.stderr.write(message)
            return job
        target = output or (output_dir / job.filename)
        target.parent.mkdir(parents=True, exist_ok=True)
        with job.file.open("rb") as source:
            target.write_bytes(source.read())
        self.stdout.write(f"{name}: {target}")
        return job
