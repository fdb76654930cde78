"""python manage.py restore_data BACKUP_FOLDER: restore a backup into an empty database and media folder."""

from django.core.management.base import BaseCommand, CommandError

from parindex.services.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu vào cơ sở dữ liệu trống và thư mục tệp trống, rồi đối chiếu số dòng "
            "của từng bảng và mã băm của từng tệp với bản sao lưu.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="Thư mục của một bản sao lưu (có manifest.json)")

    def handle(self, *args, **options):
        try:
            manifest = backup_restore(source=options["source"])
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục bản sao lưu lúc {manifest['created_at']}: {len(manifest['counts'])} bảng, "
            f"{len(manifest['files'])} tệp, khớp với bản sao lưu."))
