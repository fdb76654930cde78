"""python manage.py export_criteria SET_CODE FILE: write a criteria set as YAML or XLSX."""

from django.core.management.base import BaseCommand, CommandError

from parindex.models import CriteriaSet
from parindex.services.criteria import criteria_set_export, guess_format


class Command(BaseCommand):
    help = "Xuất bộ chỉ số ra tệp YAML hoặc Excel (.xlsx); định dạng theo phần mở rộng của tệp."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã bộ chỉ số, ví dụ quang-ngai-xa-673-2023")
        parser.add_argument("file", help="Tệp đích .yaml, .yml hoặc .xlsx")

    def handle(self, *args, **options):
        fmt = guess_format(options["file"])
        if fmt is None:
            raise CommandError("Tên tệp đích phải kết thúc bằng .yaml, .yml hoặc .xlsx.")
        try:
            criteria_set = CriteriaSet.objects.get(code=options["code"])
        except CriteriaSet.DoesNotExist:
            known = ", ".join(CriteriaSet.objects.values_list("code", flat=True)) or "chưa có bộ nào"
            raise CommandError(f"Không có bộ chỉ số mã “{options['code']}” (hiện có: {known}).") from None
        criteria_set_export(criteria_set=criteria_set, destination=options["file"], fmt=fmt)
        self.stdout.write(self.style.SUCCESS(
            f"Đã xuất bộ chỉ số “{criteria_set.code}” ({criteria_set.items.count()} mục) ra {options['file']}"))
