"""python manage.py import_criteria FILE [--replace]: load a criteria set from YAML or XLSX."""

from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args, **options):
        try:
            criteria_set = criteria_set_import(source=options["file"], fmt=options["format"],
                                               replace=options["replace"])
        except CriteriaImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"  - {error}")
            raise CommandError(f"Không nhập được bộ chỉ số: {len(exc.errors)} lỗi.") from None
        summary = criteria_set_summary(criteria_set=criteria_set)
        self.stdout.write(self.style.SUCCESS(f"Đã nhập bộ chỉ số “{criteria_set.code}”: {criteria_set.name}"))
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
