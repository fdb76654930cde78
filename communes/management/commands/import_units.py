from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from communes.models import Unit
from communes.unit_import import UnitImportError, units_import_xlsx


class Command(BaseCommand):
    help = ("Nhập danh sách đơn vị cấp xã sau sắp xếp từ tệp Excel (Mã đơn vị, Tên đơn vị, Loại, "
            "Đơn vị trước sắp xếp, Hiệu lực từ, Văn bản sắp xếp); lỗi ghi rõ dòng, không nhập dở dang.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--province", required=True, help="mã tỉnh, ví dụ 51")

    def handle(self, *args, **options):
        try:
            province = Unit.objects.get(code=options["province"])
        except Unit.DoesNotExist:
            raise CommandError(f"Không có đơn vị mã {options['province']}.") from None
        # The command runs as the system: the first superuser is the actor recorded.
        actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Cần có một tài khoản quản trị hệ thống (superuser).")
        try:
            with open(options["file"], "rb") as source:
                created = units_import_xlsx(source=source, actor=actor, province=province)
        except UnitImportError as exc:
            raise CommandError("\n".join(exc.errors)) from None
        self.stdout.write(f"Đã nhập {len(created)} đơn vị: " + ", ".join(u.display_name for u in created))
