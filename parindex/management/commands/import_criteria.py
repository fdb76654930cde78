"""python manage.py import_criteria FILE [--replace] [--province CODE]: load a criteria set from YAML or
XLSX, for a province (or, without --province, as a national template)."""

from django.core.management.base import BaseCommand, CommandError

from communes.models import PROVINCE_KINDS, Unit
from parindex.numbers import format_points
from parindex.services.criteria import (
    CriteriaImportError,
    criteria_set_import,
    criteria_set_structure,
    criteria_set_summary,
)


def _points(value):
    # "100 điểm" for a whole number, "17,50 điểm" otherwise, as the set's reports write it.
    return format_points(value, 0 if value == value.to_integral_value() else 2)


class Command(BaseCommand):
    help = "Nhập bộ chỉ số từ tệp YAML hoặc Excel (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .yaml, .yml hoặc .xlsx")
        parser.add_argument("--replace", action="store_true",
                            help="Ghi đè bộ chỉ số cùng mã (chỉ khi chưa kỳ đánh giá nào sử dụng)")
        parser.add_argument("--format", choices=["yaml", "xlsx"], help="Định dạng, nếu không đoán được từ tên tệp")
        parser.add_argument("--province", metavar="MA_TINH",
                            help="Mã đơn vị của tỉnh sở hữu bộ chỉ số; bỏ trống: bộ mẫu toàn quốc")

    def handle(self, *args, **options):
        province = None
        if options["province"]:
            province = Unit.objects.filter(code=options["province"], kind__in=PROVINCE_KINDS).first()
            if province is None:
                raise CommandError(f"Không có tỉnh, thành phố mã “{options['province']}”.")
        try:
            criteria_set = criteria_set_import(source=options["file"], fmt=options["format"],
                                               replace=options["replace"], province=province)
        except CriteriaImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"  - {error}")
            raise CommandError(f"Không nhập được bộ chỉ số: {len(exc.errors)} lỗi.") from None
        summary = criteria_set_summary(criteria_set=criteria_set)
        self.stdout.write(self.style.SUCCESS(f"Đã nhập bộ chỉ số “{criteria_set.code}”: {criteria_set.name}"))
        self.stdout.write(f"  Thuộc: {criteria_set.province or 'bộ mẫu toàn quốc'}")
        if criteria_set.is_sample:
            self.stdout.write(self.style.WARNING("  Lưu ý: nội dung mẫu, không phải văn bản chính thức."))
        for row in criteria_set_structure(criteria_set=criteria_set):
            self.stdout.write(
                f"  {row['code']}. {row['name']}: {row['criteria']} tiêu chí, {row['sub_criteria']} tiêu chí "
                f"thành phần, {_points(row['max_points'])} điểm"
            )
        self.stdout.write(
            f"Tổng: {summary['areas']} lĩnh vực / {summary['criteria']} tiêu chí / {summary['sub_criteria']} "
            f"tiêu chí thành phần / {_points(summary['max_points'])} điểm"
        )
