"""python manage.py load_demo: the demo data (idempotent), then the accounts to sign in with."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import date_format

from parindex.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    KEY_ACCOUNTS,
    DemoYearPublished,
    demo_load,
    demo_stage_dates_refresh,
)


def _when(moment):
    return date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else "—"


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: tỉnh Quảng Ngãi, huyện Ba Tơ, xã Ba Thành (số liệu thật năm 2024) và các tài khoản thử."

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh-dates", action="store_true",
            help="Đặt lại các mốc thời gian của kỳ đánh giá mẫu quanh thời điểm hiện tại "
                 "(dữ liệu mẫu nạp đã lâu có các giai đoạn đã hết hạn).",
        )

    def handle(self, *args, **options):
        report = demo_load()
        if options["refresh_dates"]:
            try:
                report.year = demo_stage_dates_refresh()
            except DemoYearPublished as exc:
                self.stdout.write(self.style.WARNING(exc.message))
            else:
                self.stdout.write(self.style.SUCCESS("Đã đặt lại các mốc thời gian của kỳ đánh giá mẫu."))
        out = self.stdout
        if report.changed:
            out.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
            if report.created_units:
                out.write(f"  Đơn vị hành chính mới: {report.created_units}")
            if report.criteria_set_created:
                out.write(f"  Bộ chỉ số: {report.criteria_set} (nội dung mẫu dưới cấp lĩnh vực)")
            if report.loaded_communes:
                out.write("  Bản đánh giá đã nạp: " + ", ".join(report.loaded_communes))
            if report.repaired:
                out.write("  Đã sửa dữ liệu mẫu cũ theo báo cáo gốc: " + ", ".join(report.repaired))
        else:
            out.write(self.style.SUCCESS("Dữ liệu mẫu đã có sẵn: không thay đổi gì."))

        year = report.year
        out.write("")
        out.write(f"Kỳ đánh giá năm {year.year} — {year.scope.display_name}, bộ chỉ số “{year.criteria_set.code}”.")
        out.write("  Để thử được mọi bước, các mốc thời gian được tính từ lúc nạp dữ liệu lần đầu "
                  "(không phải lịch thật của năm 2024):")
        for label, moment in (
            ("Mở tự đánh giá", year.self_assessment_opens),
            ("Hạn tự đánh giá", year.self_assessment_deadline),
            ("Hạn thẩm định vòng 1", year.appraisal_round1_deadline),
            ("Hạn giải trình", year.explanation_deadline),
            ("Hạn thẩm định vòng 2", year.appraisal_round2_deadline),
        ):
            out.write(f"    {label:<22} {_when(moment)}")
        out.write("  Số liệu của xã Ba Thành lấy từ báo cáo thật của xã; số liệu các xã khác là dữ liệu minh họa.")

        out.write("")
        out.write(f"Tài khoản thử (mật khẩu chung: {DEMO_PASSWORD}):")
        if len(report.created_accounts) < len(DEMO_ACCOUNTS):
            out.write("  (Mật khẩu chỉ được đặt khi tạo tài khoản: tài khoản đã đổi mật khẩu giữ mật khẩu mới.)")
        width = max(len(a.username) for a in DEMO_ACCOUNTS)
        key = [a for a in DEMO_ACCOUNTS if a.username in KEY_ACCOUNTS]
        others = [a for a in DEMO_ACCOUNTS if a.username not in KEY_ACCOUNTS]
        for account in key + others:
            out.write(f"  {account.username:<{width}}  {DEMO_PASSWORD}  {account.role_label}: {account.purpose}")
