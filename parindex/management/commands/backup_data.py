"""python manage.py backup_data FOLDER [--keep N]: back up the database and the media files."""

from django.core.management.base import BaseCommand, CommandError

from parindex.services.backups import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (pg_dump hoặc SQLite) và các tệp (MEDIA_ROOT) vào một thư mục mới."

    def add_arguments(self, parser):
        parser.add_argument("destination", help="Thư mục chứa các bản sao lưu, ví dụ /data/backups")
        parser.add_argument("--keep", type=int, default=0, help="Chỉ giữ N bản sao lưu mới nhất (0: giữ tất cả)")

    def handle(self, *args, **options):
        try:
            folder = backup_create(destination=options["destination"])
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {folder}"))
        for removed in backups_prune(destination=options["destination"], keep=options["keep"]):
            self.stdout.write(f"  Đã xóa bản cũ {removed.name}")
