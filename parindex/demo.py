"""The demo data of `python manage.py load_demo`: Quảng Ngãi, huyện Ba Tơ and huyện Minh Long, the
2024 year on the shipped criteria set, xã Ba Thành's real 2024 figures from its report (the seed),
and invented but plausible figures for the other communes, marked "dữ liệu minh họa".

Loading is idempotent: what exists is left as it is (a unit, an account, a year, a commune whose
sheet has been started), so running it again changes nothing. State changes go through the
workflow services, acting as the demo accounts; the history is then dated back over the weeks
since the year opened so that the timeline reads like a real one.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from communes.models import Recipient, Role, Signatory, SignatoryPosition, Unit, UnitKind, UnitLineage
from communes.services import membership_grant, split_full_name
from parindex.errors import ParIndexError
from parindex.models import (
    ApprovalEvent,
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    CrossCheckRule,
    Document,
    DocumentType,
    EvaluationYear,
    Evidence,
    Item,
    ItemLevel,
    ItemScoresBasis,
    Meeting,
    MeetingKind,
    PlanTask,
    PlanTaskStatus,
    RankingScope,
    Score,
    ServiceFigures,
)
from parindex.services import workflow

DEMO_PASSWORD = "ParIndex@2024"
CRITERIA_FILE = Path(settings.BASE_DIR) / "parindex" / "data" / "criteria" / "quang-ngai-673-2023.yaml"
CRITERIA_CODE = "quang-ngai-xa-673-2023"
DEMO_YEAR = 2024
THEME_2024 = (
    "Đẩy mạnh cải cách hành chính; nâng cao hiệu lực, hiệu quả hoạt động của các cấp ủy, chính quyền; "
    "thực hiện hiệu quả Chương trình phục hồi và phát triển kinh tế - xã hội và 03 Chương trình mục tiêu "
    "quốc gia"
)
CENT = Decimal("0.01")
D = Decimal

PROVINCE, BA_TO, MINH_LONG = "51", "513", "511"
BA_THANH, BA_DONG, BA_CUNG, BA_DINH, BA_DIEN = "21199", "21196", "21202", "21205", "21193"
BA_GIANG, BA_KHAM, BA_LE, TT_BA_TO = "21211", "21226", "21232", "21190"
LONG_HIEP, LONG_MAI = "21163", "21154"
NEW_BA_TO = "21188"
MERGER_DATE = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    is_illustrative: bool = False


# Names are real; the 5-digit codes are plausible, not the official ones. The new xã Ba Tơ and
# its lineage illustrate the two-tier structure of 1/7/2025 and are marked illustrative.
DEMO_UNITS = (
    DemoUnit(PROVINCE, "Quảng Ngãi", UnitKind.PROVINCE, None),
    DemoUnit(BA_TO, "Ba Tơ", UnitKind.DISTRICT, PROVINCE, valid_to=dt.date(2025, 6, 30)),
    DemoUnit(TT_BA_TO, "Ba Tơ", UnitKind.TOWNSHIP, BA_TO, valid_to=dt.date(2025, 6, 30)),
    DemoUnit(BA_DIEN, "Ba Điền", UnitKind.COMMUNE, BA_TO),
    DemoUnit(BA_DONG, "Ba Động", UnitKind.COMMUNE, BA_TO),
    DemoUnit(BA_THANH, "Ba Thành", UnitKind.COMMUNE, BA_TO, valid_to=dt.date(2025, 6, 30)),
    DemoUnit(BA_CUNG, "Ba Cung", UnitKind.COMMUNE, BA_TO, valid_to=dt.date(2025, 6, 30)),
    DemoUnit(BA_DINH, "Ba Dinh", UnitKind.COMMUNE, BA_TO),
    DemoUnit(BA_GIANG, "Ba Giang", UnitKind.COMMUNE, BA_TO),
    DemoUnit(BA_KHAM, "Ba Khâm", UnitKind.COMMUNE, BA_TO),
    DemoUnit(BA_LE, "Ba Lế", UnitKind.COMMUNE, BA_TO),
    DemoUnit(MINH_LONG, "Minh Long", UnitKind.DISTRICT, PROVINCE, valid_to=dt.date(2025, 6, 30)),
    DemoUnit(LONG_MAI, "Long Mai", UnitKind.COMMUNE, MINH_LONG),
    DemoUnit(LONG_HIEP, "Long Hiệp", UnitKind.COMMUNE, MINH_LONG),
    DemoUnit(NEW_BA_TO, "Ba Tơ", UnitKind.COMMUNE, PROVINCE, valid_from=MERGER_DATE, is_illustrative=True),
    # The other merged communes of 1/7/2025 and the departments appraising by area (parindex/demo_current.py).
    DemoUnit("21181", "Ba Vinh", UnitKind.COMMUNE, PROVINCE, valid_from=MERGER_DATE, is_illustrative=True),
    DemoUnit("21183", "Ba Vì", UnitKind.COMMUNE, PROVINCE, valid_from=MERGER_DATE, is_illustrative=True),
    DemoUnit("21184", "Ba Xa", UnitKind.COMMUNE, PROVINCE, valid_from=MERGER_DATE, is_illustrative=True),
    DemoUnit("21157", "Sơn Mai", UnitKind.COMMUNE, PROVINCE, valid_from=MERGER_DATE, is_illustrative=True),
    DemoUnit("51-STP", "Sở Tư pháp", UnitKind.DEPARTMENT, PROVINCE),
    DemoUnit("51-STC", "Sở Tài chính", UnitKind.DEPARTMENT, PROVINCE),
    DemoUnit("51-SKHCN", "Sở Khoa học và Công nghệ", UnitKind.DEPARTMENT, PROVINCE),
)
NEW_BA_TO_PREDECESSORS = (TT_BA_TO, BA_THANH, BA_CUNG)
MERGER_DECISION = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp các đơn vị hành chính cấp xã của tỉnh "
    "Quảng Ngãi năm 2025 (minh họa)"
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None  # None: the superuser
    unit_code: str | None
    title: str
    purpose: str

    @property
    def role_label(self):
        return Role(self.role).label if self.role else "Quản trị hệ thống (superuser)"


# Every account has the password DEMO_PASSWORD. The README lists the same accounts.
DEMO_ACCOUNTS = (
    DemoAccount("admin", "Quản trị hệ thống", None, None, "", "mọi chức năng, trang quản trị"),
    DemoAccount("quantri.quangngai", "Nguyễn Thị Thu Hà", Role.PROVINCE_ADMIN, PROVINCE,
                "Chuyên viên Sở Nội vụ", "tiến độ kỳ đánh giá, công bố kết quả, quản trị đơn vị và tài khoản"),
    DemoAccount("thamdinh.bato", "Trần Văn Bình", Role.APPRAISER, BA_TO,
                "Chuyên viên Phòng Nội vụ huyện Ba Tơ", "thẩm định các xã của huyện Ba Tơ"),
    DemoAccount("thamdinh.minhlong", "Lê Thị Mai", Role.APPRAISER, MINH_LONG,
                "Chuyên viên Phòng Nội vụ huyện Minh Long", "thẩm định các xã của huyện Minh Long"),
    DemoAccount("canbo.bathanh", "Phạm Thị Hoa", Role.COMMUNE_OFFICER, BA_THANH,
                "Công chức Văn phòng - Thống kê", "bản đánh giá và báo cáo năm 2024 của xã Ba Thành"),
    DemoAccount("lanhdao.bathanh", "Đinh Văn Hiền", Role.COMMUNE_LEADER, BA_THANH,
                "Chủ tịch UBND xã", "lãnh đạo xã Ba Thành"),
    DemoAccount("canbo.badong", "Hồ Văn Nam", Role.COMMUNE_OFFICER, BA_DONG,
                "Công chức Văn phòng - Thống kê", "tự đánh giá đang làm dở (xã Ba Động)"),
    DemoAccount("xem.bato", "Võ Thị Lan", Role.VIEWER, BA_TO,
                "Lãnh đạo UBND huyện Ba Tơ", "chỉ xem các xã của huyện Ba Tơ"),
    DemoAccount("canbo.bacung", "Đinh Thị Xuân", Role.COMMUNE_OFFICER, BA_CUNG,
                "Công chức Văn phòng - Thống kê", "xã Ba Cung (đã nộp)"),
    DemoAccount("canbo.badinh", "Phạm Văn Sơn", Role.COMMUNE_OFFICER, BA_DINH,
                "Công chức Văn phòng - Thống kê", "xã Ba Dinh (đang thẩm định)"),
    DemoAccount("canbo.badien", "Đinh Thị Hằng", Role.COMMUNE_OFFICER, BA_DIEN,
                "Công chức Văn phòng - Thống kê", "xã Ba Điền (bị trả lại để giải trình)"),
    DemoAccount("canbo.bagiang", "Phạm Văn Lực", Role.COMMUNE_OFFICER, BA_GIANG,
                "Công chức Văn phòng - Thống kê", "xã Ba Giang (đã phê duyệt)"),
    DemoAccount("canbo.bakham", "Đinh Văn Tiến", Role.COMMUNE_OFFICER, BA_KHAM,
                "Công chức Văn phòng - Thống kê", "xã Ba Khâm (đã phê duyệt)"),
    DemoAccount("canbo.bale", "Phạm Thị Nga", Role.COMMUNE_OFFICER, BA_LE,
                "Công chức Văn phòng - Thống kê", "xã Ba Lế (đã phê duyệt)"),
    DemoAccount("canbo.ttbato", "Trương Thị Yến", Role.COMMUNE_OFFICER, TT_BA_TO,
                "Công chức Văn phòng - Thống kê", "thị trấn Ba Tơ (đã phê duyệt)"),
    DemoAccount("canbo.longhiep", "Đinh Văn Thắng", Role.COMMUNE_OFFICER, LONG_HIEP,
                "Công chức Văn phòng - Thống kê", "xã Long Hiệp, huyện Minh Long (đã phê duyệt)"),
    DemoAccount("canbo.longmai", "Đinh Thị Thu", Role.COMMUNE_OFFICER, LONG_MAI,
                "Công chức Văn phòng - Thống kê", "xã Long Mai, huyện Minh Long (đã nộp)"),
    # Since 1/7/2025: the province appraises, split by area (parindex/demo_current.py).
    DemoAccount("dieuphoi.sonoivu", "Huỳnh Thị Thanh", Role.APPRAISER, PROVINCE,
                "Trưởng phòng Cải cách hành chính, Sở Nội vụ",
                "điều phối thẩm định 2025: phân công, tiến độ theo lĩnh vực, trả giải trình, phê duyệt, Hội đồng"),
    DemoAccount("thamdinh.sotuphap", "Nguyễn Văn Pháp", Role.APPRAISER, "51-STP",
                "Chuyên viên Sở Tư pháp", "thẩm định lĩnh vực 2 (cải cách thể chế) của mọi xã"),
    DemoAccount("thamdinh.sotaichinh", "Lê Thị Tài", Role.APPRAISER, "51-STC",
                "Chuyên viên Sở Tài chính", "thẩm định lĩnh vực 6 (tài chính công) của mọi xã"),
    DemoAccount("thamdinh.sokhcn", "Trần Minh Số", Role.APPRAISER, "51-SKHCN",
                "Chuyên viên Sở Khoa học và Công nghệ", "thẩm định lĩnh vực 7 (chính quyền số) của mọi xã"),
    DemoAccount("canbo.bato", "Phạm Thị Mỹ", Role.COMMUNE_OFFICER, NEW_BA_TO,
                "Công chức Văn phòng - Thống kê", "xã Ba Tơ mới (sau sáp nhập): tự đánh giá 2025 chờ nộp, 2026"),
    DemoAccount("canbo.bavinh", "Đinh Văn Vinh", Role.COMMUNE_OFFICER, "21181",
                "Công chức Văn phòng - Thống kê", "xã Ba Vinh (2025 đang thẩm định theo lĩnh vực)"),
    DemoAccount("canbo.bavi", "Phạm Thị Vi", Role.COMMUNE_OFFICER, "21183",
                "Công chức Văn phòng - Thống kê", "xã Ba Vì (2025 đã nộp)"),
    DemoAccount("canbo.baxa", "Đinh Văn Xa", Role.COMMUNE_OFFICER, "21184",
                "Công chức Văn phòng - Thống kê", "xã Ba Xa (2025 đã công bố)"),
    DemoAccount("canbo.sonmai", "Đinh Thị Mai", Role.COMMUNE_OFFICER, "21157",
                "Công chức Văn phòng - Thống kê", "xã Sơn Mai (2025 đã công bố)"),
)
KEY_ACCOUNTS = ("admin", "quantri.quangngai", "thamdinh.bato", "thamdinh.minhlong", "canbo.bathanh",
                "lanhdao.bathanh", "canbo.badong", "xem.bato")


# --- Ba Thành, from its report on the 2024 index (the seed) ------------------------------------

# Per area 1…8. The seed prints "111,5" for area 1: a typo above its maximum of 11,5.
BA_THANH_SELF = tuple(D(v) for v in ("11.5", "6", "17", "5", "8", "8", "12.5", "3"))
BA_THANH_APPRAISED = tuple(D(v) for v in ("6.73", "6", "15.46", "4.5", "7.5", "7.24", "7.27", "4"))

BA_THANH_DOCUMENTS = (
    # (type, number/symbol, date, summary, illustrative): the first nine as listed in the report.
    (DocumentType.QUYET_DINH, "194/QĐ-UBND", dt.date(2023, 12, 29),
     "phân công tham mưu, thực hiện nhiệm vụ UBND tỉnh giao tại kế hoạch cải cách hành chính năm 2024", False),
    (DocumentType.QUYET_DINH, "195/QĐ-UBND", dt.date(2023, 12, 29),
     "về ban hành Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số cải cách hành chính (PARINDEX) năm 2024",
     False),
    (DocumentType.CONG_VAN, "23/UBND", dt.date(2024, 2, 26),
     "Về việc chỉ đạo báo cáo định kỳ công tác CCHC xã Ba Thành", False),
    (DocumentType.CONG_VAN, "45/UBND", dt.date(2023, 6, 1),
     "về việc triển khai thực hiện dịch vụ Công trực tuyến, thanh toán trực tuyến", False),
    (DocumentType.KE_HOACH, "74/KH-UBND", dt.date(2024, 7, 12),
     "về việc tổ chức Hội nghị sơ kết công tác cải cách hành chính, chuyển đổi số, thực hiện Đề án 06 trong "
     "6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2024", False),
    (DocumentType.THONG_BAO, "28/TB-UBND", dt.date(2024, 7, 25),
     "Về Thông báo kết luận của Chủ tịch UBND xã tại Hội nghị sơ kết công tác cải cách hành chính, chuyển "
     "đổi số, thực hiện Đề án 06 trong 6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2024", False),
    (DocumentType.BAO_CAO, "33/BC-UBND", dt.date(2024, 3, 11), "báo cáo công tác CCHC (quý I)", False),
    (DocumentType.BAO_CAO, "102/BC-UBND", dt.date(2024, 6, 11), "báo cáo công tác CCHC (6 tháng)", False),
    (DocumentType.BAO_CAO, "189/BC-UBND", dt.date(2024, 9, 27), "báo cáo công tác CCHC (quý III)", False),
)
# The report declares 12 documents but lists 9: the record keeps both as the commune gave them
# (never documents made up to fill the gap); the pre-submit check points the difference out.
BA_THANH_DOCUMENTS_DECLARED = 12
# Documents earlier versions of the demo invented to fill that gap: removed from an existing demo.
INVENTED_DOCUMENTS = ("08/QĐ-UBND", "12/KH-UBND", "118/KH-UBND")

# As Kế hoạch 74/KH-UBND names it (an older demo wrote "Đề án 06 6 tháng", which reads as a typo).
MEETING_MIDYEAR = ("Hội nghị sơ kết công tác cải cách hành chính, chuyển đổi số, thực hiện Đề án 06 trong 6 tháng "
                   "đầu năm 2024")
MEETING_MIDYEAR_OLD = "Hội nghị sơ kết công tác CCHC, chuyển đổi số, thực hiện Đề án 06 6 tháng đầu năm 2024"
BA_THANH_MEETINGS = (
    (MeetingKind.CONFERENCE, dt.date(2024, 1, 19), "Hội nghị tổng kết công tác CCHC năm 2023, triển khai nhiệm vụ "
     "năm 2024", ""),
    (MeetingKind.CONFERENCE, dt.date(2024, 7, 19), MEETING_MIDYEAR, "Kế hoạch số 74/KH-UBND ngày 12/7/2024"),
    (MeetingKind.SEMINAR, dt.date(2024, 10, 17), "Hội nghị tọa đàm về hoạt động cải cách hành chính, chuyển đổi số "
     "năm 2024", ""),
) + tuple(
    (MeetingKind.REGULAR, day, f"Phiên họp thường kỳ UBND xã tháng {day.month}/2024: đánh giá công tác CCHC, "
     "chuyển đổi số và thực hiện Đề án 06", "")
    for day in (dt.date(2024, 3, 28), dt.date(2024, 5, 30), dt.date(2024, 8, 29), dt.date(2024, 10, 30),
                dt.date(2024, 11, 28))
)

OFFICE, JUSTICE, FINANCE, CULTURE, LAND = (
    "Văn phòng - Thống kê", "Tư pháp - Hộ tịch", "Tài chính - Kế toán", "Văn hóa - Xã hội", "Địa chính - Xây dựng",
)
# Kế hoạch CCHC năm 2024 (QĐ 193/QĐ-UBND): 58 tasks by area; (content, lead, deadline, result document).
BA_THANH_TASKS = {
    "1": (
        ("Ban hành Kế hoạch cải cách hành chính năm 2024 của UBND xã", OFFICE, "2023-12-31",
         "Quyết định số 193/QĐ-UBND ngày 29/12/2023"),
        ("Phân công tham mưu, thực hiện nhiệm vụ UBND tỉnh giao tại kế hoạch CCHC năm 2024", OFFICE, "2023-12-31",
         "Quyết định số 194/QĐ-UBND ngày 29/12/2023"),
        ("Ban hành Kế hoạch khắc phục, cải thiện và nâng cao Chỉ số CCHC năm 2024", OFFICE, "2023-12-31",
         "Quyết định số 195/QĐ-UBND ngày 29/12/2023"),
        ("Báo cáo công tác CCHC quý I năm 2024", OFFICE, "2024-03-15", "Báo cáo số 33/BC-UBND ngày 11/03/2024"),
        ("Báo cáo công tác CCHC 6 tháng đầu năm 2024", OFFICE, "2024-06-15",
         "Báo cáo số 102/BC-UBND ngày 11/06/2024"),
        ("Báo cáo công tác CCHC quý III năm 2024", OFFICE, "2024-09-30", "Báo cáo số 189/BC-UBND ngày 27/9/2024"),
        ("Báo cáo công tác CCHC năm 2024", OFFICE, "2024-12-15", ""),
        ("Tổ chức Hội nghị tổng kết công tác CCHC năm 2023, triển khai nhiệm vụ năm 2024", OFFICE, "2024-01-31",
         ""),
        ("Tổ chức Hội nghị sơ kết công tác CCHC, chuyển đổi số, Đề án 06 sáu tháng đầu năm 2024", OFFICE,
         "2024-07-31", "Kế hoạch số 74/KH-UBND ngày 12/7/2024; Thông báo số 28/TB-UBND ngày 25/7/2024"),
        ("Tuyên truyền công tác CCHC trên hệ thống truyền thanh xã và tại các cuộc họp thôn", CULTURE,
         "2024-12-31", ""),
    ),
    "2": (
        ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND xã ban hành", JUSTICE, "2024-03-31", ""),
        ("Thực hiện đúng quy trình xây dựng, ban hành văn bản quy phạm pháp luật của xã", JUSTICE, "2024-12-31",
         ""),
        ("Tự kiểm tra văn bản do UBND xã ban hành", JUSTICE, "2024-11-30", ""),
        ("Ban hành kế hoạch phổ biến, giáo dục pháp luật năm 2024", JUSTICE, "2024-01-31", ""),
        ("Tổ chức phổ biến, giáo dục pháp luật cho cán bộ, công chức và nhân dân", JUSTICE, "2024-12-31", ""),
        ("Xây dựng xã đạt chuẩn tiếp cận pháp luật năm 2024", JUSTICE, "2024-12-31", ""),
        ("Theo dõi tình hình thi hành pháp luật trên địa bàn xã", JUSTICE, "2024-12-31", ""),
    ),
    "3": (
        ("Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã", OFFICE, "2024-06-30", ""),
        ("Niêm yết, công khai đầy đủ thủ tục hành chính tại Bộ phận một cửa", OFFICE, "2024-02-29", ""),
        ("Cập nhật, công khai thủ tục hành chính trên Trang thông tin điện tử của xã", OFFICE, "2024-12-31", ""),
        ("Tiếp nhận, giải quyết thủ tục hành chính đúng hạn, không để hồ sơ trễ hạn", OFFICE, "2024-12-31", ""),
        ("Thực hiện xin lỗi tổ chức, cá nhân khi giải quyết hồ sơ trễ hạn (nếu có)", OFFICE, "2024-12-31", ""),
        ("Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", OFFICE, "2024-12-31", ""),
        ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", OFFICE, "2024-12-31", ""),
        ("Hướng dẫn người dân nộp hồ sơ trực tuyến, thanh toán trực tuyến", OFFICE, "2024-12-31",
         "Công văn số 45/UBND ngày 01/6/2023"),
        ("Triển khai thực hiện Đề án 06 tại UBND xã", OFFICE, "2024-12-31", ""),
        ("Khảo sát mức độ hài lòng của người dân khi giải quyết thủ tục hành chính", OFFICE, "2024-11-30", ""),
    ),
    "4": (
        ("Rà soát vị trí việc làm của cán bộ, công chức xã", OFFICE, "2024-06-30", ""),
        ("Thực hiện Quy chế làm việc của UBND xã", OFFICE, "2024-12-31", ""),
        ("Thực hiện Quy chế dân chủ ở cơ sở", OFFICE, "2024-12-31", ""),
        ("Kiện toàn Ban Chỉ đạo cải cách hành chính xã", OFFICE, "2024-01-31", ""),
        ("Thực hiện các nhiệm vụ cấp trên phân cấp, ủy quyền cho UBND xã", OFFICE, "2024-12-31", ""),
    ),
    "5": (
        ("Đánh giá, xếp loại chất lượng cán bộ, công chức xã năm 2024", OFFICE, "2024-12-15", ""),
        ("Cử cán bộ, công chức tham gia đào tạo, bồi dưỡng", OFFICE, "2024-12-31", ""),
        ("Thực hiện chế độ, chính sách đối với cán bộ, công chức xã", FINANCE, "2024-12-31", ""),
        ("Thực hiện kỷ luật, kỷ cương hành chính, văn hóa công vụ", OFFICE, "2024-12-31", ""),
        ("Thực hiện quy định về văn hóa công sở", OFFICE, "2024-12-31", ""),
        ("Công khai tiêu chuẩn chức danh cán bộ, công chức xã", OFFICE, "2024-03-31", ""),
        ("Kiểm tra việc chấp hành thời giờ làm việc của cán bộ, công chức", OFFICE, "2024-12-31", ""),
    ),
    "6": (
        ("Xây dựng và thực hiện dự toán ngân sách xã năm 2024", FINANCE, "2024-12-31", ""),
        ("Công khai ngân sách xã theo quy định", FINANCE, "2024-12-31", ""),
        ("Thực hiện Quy chế chi tiêu nội bộ", FINANCE, "2024-12-31", ""),
        ("Quản lý, sử dụng tài sản công đúng quy định", FINANCE, "2024-12-31", ""),
        ("Thực hành tiết kiệm, chống lãng phí", FINANCE, "2024-12-31", ""),
    ),
    "7": (
        ("Sử dụng hệ thống quản lý văn bản và điều hành trong xử lý công việc", OFFICE, "2024-12-31", ""),
        ("Sử dụng chữ ký số khi phát hành văn bản điện tử", OFFICE, "2024-12-31", ""),
        ("Duy trì, cập nhật Trang thông tin điện tử của xã", OFFICE, "2024-12-31", ""),
        ("Vận hành Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh tại Bộ phận một cửa", OFFICE,
         "2024-12-31", ""),
        ("Cung cấp dịch vụ công trực tuyến toàn trình, một phần", OFFICE, "2024-12-31", ""),
        ("Thu phí, lệ phí qua thanh toán trực tuyến", FINANCE, "2024-12-31", ""),
        ("Sử dụng hộp thư điện tử công vụ", OFFICE, "2024-12-31", ""),
        ("Tổ chức Hội nghị tọa đàm về hoạt động CCHC, chuyển đổi số năm 2024", OFFICE, "2024-10-31", ""),
        ("Thành lập, duy trì Tổ công nghệ số cộng đồng ở các thôn", CULTURE, "2024-06-30", ""),
        ("Trang bị máy tính bảng đánh giá sự hài lòng và máy lấy số thứ tự tự động kết nối Hệ thống thông tin "
         "một cửa", OFFICE, "2024-12-31", ""),
    ),
    "8": (
        ("Phối hợp tổ chức lấy ý kiến người dân về mức độ hài lòng", CULTURE, "2024-11-30", ""),
        ("Thực hiện các chỉ tiêu phát triển kinh tế - xã hội năm 2024", LAND, "2024-12-31", ""),
        ("Thực hiện Chương trình phục hồi và phát triển kinh tế - xã hội và 03 Chương trình mục tiêu quốc gia",
         LAND, "2024-12-31", ""),
        ("Bảo đảm an ninh chính trị, trật tự an toàn xã hội trên địa bàn xã", OFFICE, "2024-12-31", ""),
    ),
}
# The one task of 58 not done: the equipment the report lists among the weaknesses.
BA_THANH_TASK_NOT_DONE = ("7", 9)

# The seed's own "98,2%" is a truncated figure: the demo carries the exact 98,28% the system computes.
BA_THANH_STRENGTHS = (
    "- Được sự quan tâm của UBND huyện, sự lãnh đạo chỉ đạo kịp thời của Đảng ủy, HĐND xã và UBND xã có sự nỗ "
    "lực chủ động triển khai thực hiện kế hoạch cải cách hành chính năm 2024 về cơ bản UBND xã đã thực hiện đảm "
    "bảo các nhiệm vụ được giao, đã đạt nhiều kết quả tích cực trên 07 nội dung thuộc 6 lĩnh vực CCHC về cơ bản "
    "đã ban hành đầy đủ các kế hoạch làm cơ sở để thực hiện 58 nhiệm vụ đã xác định trong kế hoạch CCHC năm "
    "2024, đến thời điểm báo cáo đã hoàn thành 57/58 nhiệm vụ đạt 98,28% so với kế hoạch đề ra."
)
BA_THANH_WEAKNESSES = "\n".join((
    "- Bộ phận một cửa xã cơ bản đã được trang bị cơ sở vật chất phục vụ việc giải quyết TTHC cho cá nhân, tổ "
    "chức; tuy nhiên, vẫn còn chưa đảm bảo theo quy định thiếu trang thiết bị như: Máy Tabled để thực hiện việc "
    "đánh giá sự hài lòng của người dân; máy lấy số xếp hạng tự động kết nối tới Hệ thống thông tin một cửa.",
    "- Việc khai thác, sử dụng lại thông tin, dữ liệu số hoá và quy trình tái sử dụng kho dữ liệu của người dân "
    "chưa thực hiện được.",
    # The report's "Một số gười dân" is a typo for "người dân".
    "- Một số người dân chưa biết sử dụng các thiết bị để nộp hồ sơ trực tuyến; việc thanh toán trực tuyến đa "
    "số người dân chưa có tài khoản thanh toán nên khó thanh toán trực tuyến.",
))
# The seed's own wording of the sentences the commune may reword (reports.body_texts), as typed.
BA_THANH_REPORT_TEXTS = {
    "intro_lead": "UBND xã Ba Thành báo cáo kết quả Chỉ số cải cách hành chính năm 2024 cụ thể, như sau:",
    "theme_lead": (
        "Trong năm 2024, UBND xã đã có nhiều nỗ lực quyết tâm trong việc thực hiện nhiệm vụ CCHC, có nhiều đổi mới "
        "trong chỉ đạo, điều hành; từ đó góp phần quan trọng nhằm thực hiện thắng lợi các mục tiêu, nhiệm vụ phát "
        "triển kinh tế - xã hội năm 2024 theo chủ đề tỉnh đã xác định:"),
    "meetings": (
        "Trong năm 2024 UBND xã, Ban Chỉ đạo CCHC của xã đã tổ chức 02 Hội nghị: Tổng kết năm 2023, sơ kết công tác "
        "CCHC 6 tháng năm 2024, Hội nghị tọa đàm tọa đàm về hoạt động Cải cách hành chính, chuyển đổi số năm 2024 "
        "và hàng tháng lồng ghép đánh giá công tác triển khai về CCHC, chuyển đổi số và thực hiện Đề án 06 trong "
        "các phiên họp thường kỳ của UBND xã, tổng cộng: 05 phiên họp định kỳ."),
    "self_lead": "Điểm tự đánh giá được xác định cụ thể đối với từng tiêu chí, tiêu chí thành phần như sau:",
    # The seed says nothing after the legal basis of the criteria set.
    "basis_follow": "",
    "closing": (
        "Trên đây là Báo cáo tóm tắt kết quả triển khai thực hiện công tác Cải cách hành chính trong năm 2024 của "
        "UBND xã Ba Thành. Kính báo cáo UBND huyện."),
}
# Items whose score follows from the commune's own figures: 946/946 dossiers online (100%, above the
# 95% target) earns 7.2.1 its full 1,50 points. The spread of the area totals keeps them fixed.
BA_THANH_PINNED = {"7.2.1": D("1.5")}
BA_THANH_RECIPIENTS = ("UBND huyện", "Phòng Nội vụ huyện", "TT Đảng ủy xã", "TT HĐND xã", "UBND xã", "Lưu: VT")
DEFAULT_RECIPIENTS = ("UBND huyện", "Phòng Nội vụ huyện", "TT Đảng ủy xã", "TT HĐND xã", "Lưu: VT")


# --- The other communes: invented, plausible, marked illustrative --------------------------------

@dataclass(frozen=True)
class Scenario:
    status: str
    officer: str
    self_areas: tuple = ()
    appraised_areas: tuple = ()  # per area; shorter than 8 = only the first areas appraised so far
    flagged: tuple = ()  # item codes sent back for explanation
    days_ago: tuple = ()  # submitted, appraisal started, returned/appraised, approved


def _pts(*values):
    return tuple(D(str(v)) for v in values)


# Ba Khâm and Ba Lế tie on 68,70 so that the ranking shows a shared rank.
SCENARIOS = {
    TT_BA_TO: Scenario(AssessmentStatus.APPROVED, "canbo.ttbato",
                       _pts(11, 10.5, 19.5, 8.5, 12.5, 11, 15, 3.5),
                       _pts(10.5, 9.5, 18.25, 8, 11.5, 10.25, 13.25, 3.5), days_ago=(24, 20, 12, 10)),
    BA_GIANG: Scenario(AssessmentStatus.APPROVED, "canbo.bagiang",
                       _pts(10.5, 9.5, 18, 8, 12, 10.5, 13, 3.5),
                       _pts(9, 8.5, 16.75, 7, 10.5, 9.5, 11.1, 3), days_ago=(23, 19, 11, 9)),
    BA_KHAM: Scenario(AssessmentStatus.APPROVED, "canbo.bakham",
                      _pts(10, 9, 17.5, 7.5, 11, 10, 12.5, 3),
                      _pts(8.25, 7.5, 15.2, 6.5, 9.75, 8.4, 10.6, 2.5), days_ago=(22, 18, 10, 8)),
    BA_LE: Scenario(AssessmentStatus.APPROVED, "canbo.bale",
                    _pts(10.5, 8.5, 16.5, 8, 10.5, 10, 12, 3),
                    _pts(9, 7, 14.7, 7, 9.5, 8.9, 10.1, 2.5), days_ago=(21, 17, 9, 7)),
    BA_DIEN: Scenario(AssessmentStatus.RETURNED, "canbo.badien",
                      _pts(9, 8, 15, 6.5, 10, 9, 11.5, 3),
                      _pts(8, 7, 13.5, 6, 9, 8, 10, 2.5), flagged=("3.4.1", "7.2.1"), days_ago=(16, 12, 5)),
    BA_DINH: Scenario(AssessmentStatus.IN_APPRAISAL, "canbo.badinh",
                      _pts(10.5, 9.5, 16, 7, 11.5, 10, 13, 3.5),
                      _pts(9, 8, 14.5), days_ago=(10, 4)),
    BA_CUNG: Scenario(AssessmentStatus.SUBMITTED, "canbo.bacung",
                      _pts(10, 9, 17, 7.5, 11, 9.5, 12, 3), days_ago=(3,)),
    BA_DONG: Scenario(AssessmentStatus.DRAFT, "canbo.badong"),
    LONG_HIEP: Scenario(AssessmentStatus.APPROVED, "canbo.longhiep",
                        _pts(10.5, 9, 18, 8, 11.5, 10, 13.5, 3.5),
                        _pts(9.5, 8, 16, 7.5, 10, 9, 12.25, 3), days_ago=(20, 15, 8, 6)),
    LONG_MAI: Scenario(AssessmentStatus.SUBMITTED, "canbo.longmai",
                       _pts(9.5, 8.5, 15.5, 7, 10, 9, 11, 3), days_ago=(2,)),
}
BA_THANH_DAYS_AGO = (21, 18, 9, 7)
# Xã Ba Động, the sheet the browser journeys continue: only these leaves are scored so far.
BA_DONG_STARTED = (("1.1.1", "1"), ("1.1.2", "1.5"), ("1.2", "1.5"), ("1.3", "2"))
FLAG_COMMENTS = {
    "3.4.1": "Đề nghị bổ sung danh sách hồ sơ giải quyết đúng hạn trích xuất từ Hệ thống thông tin giải quyết "
             "TTHC; số liệu tự chấm chưa khớp với hệ thống.",
    "7.2.1": "Chưa có tài liệu chứng minh tỷ lệ hồ sơ trực tuyến; đề nghị bổ sung báo cáo trích xuất từ Cổng "
             "dịch vụ công.",
}


# --- Spreading an area's points over its leaves ---------------------------------------------------

# Leaves score in quarters of their maximum around the area's rate, some above and some below it,
# as real sheets look; the last cents go to the first leaves that can take them.
_JITTER = tuple(D(v) for v in ("0", "0.25", "-0.25", "0", "0.5", "-0.25", "0.25", "0", "-0.5", "0.25"))
QUARTER = D("0.25")


def _tier(rate, index):
    x = min(max(rate + _JITTER[index % len(_JITTER)], D(0)), D(1))
    return (x / QUARTER).quantize(D(1), ROUND_HALF_UP) * QUARTER


def _settle(values, caps, total, order):
    """Raise (or lower) values in `order`, within 0…cap, until they add up to `total` exactly."""
    gap = total - sum(values)
    walk = order if gap > 0 else list(reversed(order))
    for i in walk:
        if gap == 0:
            break
        step = min(gap, caps[i] - values[i]) if gap > 0 else -min(-gap, values[i])
        values[i] += step
        gap -= step
    return values, gap


def points_spread(*, total, maxima, salt=0):
    """Deterministic leaf scores for an area total: each 0 ≤ score ≤ its max, 2 decimals, exact sum."""
    return points_follow(total=total, base=maxima, maxima=maxima, salt=salt)


def points_follow(*, total, base, maxima, salt=0):
    """Leaf scores for `total` that follow `base` (the self-scores): an appraiser mostly confirms or
    trims what the commune claimed, and gives more than claimed only when the total says so."""
    total, maxima, base = D(total), [D(m) for m in maxima], [D(b) for b in base]
    if not D(0) <= total <= sum(maxima):
        raise ValueError(f"Tổng {total} nằm ngoài 0…{sum(maxima)}")
    reference = base if D(0) < total <= sum(base) else maxima
    rate = total / sum(reference) if sum(reference) else D(0)
    n = len(maxima)
    values = [(r * _tier(rate, i + salt)).quantize(CENT, ROUND_DOWN) for i, r in enumerate(reference)]
    order = [(i + salt) % n for i in range(n)]
    values, gap = _settle(values, reference, total, order)
    if gap:
        values, gap = _settle(values, maxima, total, order)
    assert gap == 0  # total ≤ Σ maxima was checked above
    return values


# --- Loading ---------------------------------------------------------------------------------------

@dataclass
class DemoReport:
    created_units: int = 0
    created_accounts: list = field(default_factory=list)
    criteria_set: object = None
    criteria_set_created: bool = False
    year: object = None
    year_created: bool = False
    loaded_communes: list = field(default_factory=list)
    repaired: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created_units or self.created_accounts or self.criteria_set_created or self.year_created
                    or self.loaded_communes or self.repaired)


def demo_units_ensure():
    created = 0
    units = {}
    for spec in DEMO_UNITS:
        unit, was_created = Unit.objects.get_or_create(code=spec.code, defaults={
            "name": spec.name, "kind": spec.kind, "parent": units.get(spec.parent), "valid_from": spec.valid_from,
            "valid_to": spec.valid_to, "is_illustrative": spec.is_illustrative,
        })
        units[spec.code] = unit
        created += was_created
    successor = units[NEW_BA_TO]
    for code in NEW_BA_TO_PREDECESSORS:
        UnitLineage.objects.get_or_create(successor=successor, predecessor=units[code], defaults={
            "effective_date": MERGER_DATE, "decision": MERGER_DECISION,
        })
    ba_thanh = units[BA_THANH]
    if not Signatory.objects.filter(unit=ba_thanh).exists():
        Signatory.objects.create(unit=ba_thanh, full_name="Phạm Văn Thước", position=SignatoryPosition.VICE_CHAIRMAN,
                                 is_default=True)
        Signatory.objects.create(unit=ba_thanh, full_name="Đinh Văn Hiền", position=SignatoryPosition.CHAIRMAN)
    for spec in DEMO_UNITS:
        unit = units[spec.code]
        if unit.is_commune and not Recipient.objects.filter(unit=unit).exists():
            lines = BA_THANH_RECIPIENTS if spec.code == BA_THANH else DEFAULT_RECIPIENTS
            Recipient.objects.bulk_create([Recipient(unit=unit, text=t, order=i) for i, t in enumerate(lines, 1)])
    return units, created


def demo_accounts_ensure(*, units):
    """The demo accounts, each with its role. A password is set only when the account is created,
    so that running the loader again never undoes a password someone changed."""
    User = get_user_model()
    created, users = [], {}
    # One hash for the one published demo password: hashing it 17 times would only slow `make run`.
    encoded = None
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            first_name, last_name = split_full_name(account.full_name)
            user = User(username=account.username, first_name=first_name, last_name=last_name,
                        email=f"{account.username}@example.vn", is_superuser=account.role is None,
                        is_staff=account.role is None)
            validate_password(DEMO_PASSWORD, user=user)
            encoded = encoded or make_password(DEMO_PASSWORD)
            user.password = encoded
            user.save()
            created.append(account.username)
        if account.role:
            membership_grant(user=user, unit=units[account.unit_code], role=account.role, title=account.title)
        users[account.username] = user
    return users, created


def demo_criteria_set_ensure(*, province):
    """The shipped set is Quảng Ngãi's own (Quyết định 673/QĐ-UBND of its People's Committee), so it
    belongs to the demo province rather than being a national template."""
    existing = CriteriaSet.objects.filter(code=CRITERIA_CODE).first()
    if existing:
        demo_cross_checks_ensure(criteria_set=existing)
        return existing, False
    from parindex.services.criteria import criteria_set_import

    return criteria_set_import(source=CRITERIA_FILE, province=province), True


def demo_cross_checks_ensure(*, criteria_set):
    """A demo loaded before the sample file declared cross-check rules gets them from the file.
    The set is frozen by its year, but rules only check scores, never change them, so adding them
    to the shipped sample leaves every stored result as it was. Once any rule exists, nothing is done."""
    from parindex.services.criteria import criteria_set_read
    from parindex.services.crosschecks import checks_create

    if CrossCheckRule.objects.filter(item__criteria_set=criteria_set).exists():
        return False
    _, nodes = criteria_set_read(source=CRITERIA_FILE)
    codes = set(criteria_set.items.values_list("code", flat=True))
    checks_create(criteria_set, [n for n in nodes if n.code in codes])
    return True


def demo_stage_dates(*, now):
    """Stage dates around `now` so that every stage of the demo can be tried."""
    today = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)

    def day(offset, hour):
        return (today + dt.timedelta(days=offset)).replace(hour=hour)

    return {
        "self_assessment_opens": day(-30, 7),
        # Deadlines at the end of office hours, as plans usually set them ("trước 17 giờ").
        "self_assessment_deadline": day(30, 17),
        "appraisal_round1_deadline": day(60, 17),
        "explanation_deadline": day(75, 17),
        "appraisal_round2_deadline": day(90, 17),
    }


def demo_year_ensure(*, province, criteria_set, now):
    """The 2024 year, its stages dated from now so that every stage of the demo can be tried."""
    from parindex.services.years import evaluation_year_open

    year, created = EvaluationYear.objects.get_or_create(year=DEMO_YEAR, scope=province, defaults={
        "criteria_set": criteria_set, "theme": THEME_2024, "ranking_scope": RankingScope.DISTRICT,
        "online_filing_threshold": D("95"), **demo_stage_dates(now=now),
    })
    if not year.is_published:  # a published year is frozen: nothing is added to it
        evaluation_year_open(year=year)
    return year, created


class DemoYearPublished(ParIndexError):
    pass


def demo_stage_dates_refresh(*, now=None):
    """Move the demo year's stages around `now` again (a demo loaded weeks ago has closed stages).
    Only the demo year of the demo province is touched, and never once published (its dates are
    part of the published record): DemoYearPublished is raised then. Returns the year."""
    from parindex.demo_current import year_2026_dates

    now = now or timezone.now()
    year = EvaluationYear.objects.get(year=DEMO_YEAR, scope__code=PROVINCE)
    if year.is_published:
        raise DemoYearPublished(f"{year}: kết quả đã công bố, các mốc thời gian không được thay đổi.")
    dates = demo_stage_dates(now=now)
    for name, moment in dates.items():
        setattr(year, name, moment)
    year.save(update_fields=list(dates))
    # The years of the current structure: 2025 in appraisal alongside, 2026 open for self-assessment.
    for later, later_dates in ((2025, dates), (2026, year_2026_dates(now=now))):
        EvaluationYear.objects.filter(year=later, scope__code=PROVINCE, published_at__isnull=True).update(**later_dates)
    return year


def _leaves_by_area(assessment):
    scores = list(Score.objects.filter(assessment=assessment).select_related("item", "item__area")
                  .order_by("item__sort_key"))
    areas = {}
    for s in scores:
        areas.setdefault(s.item.area.code, []).append(s)
    return [areas[code] for code in sorted(areas, key=Item.sort_key_for)]


def _self_note(score):
    if score.self_score == score.max_points:
        return "Đã thực hiện đầy đủ, đúng thời hạn; tài liệu kiểm chứng lưu tại Văn phòng UBND xã."
    if score.self_score == 0:
        return "Chưa thực hiện được trong năm 2024."
    return "Thực hiện chưa đầy đủ; tự chấm theo mức hoàn thành trong hướng dẫn chấm điểm."


def _with_pinned(scores, total, pinned, spread):
    """Spread `total` over the scores, except pinned items, which take their fixed value."""
    free = [s for s in scores if s.item.code not in pinned]
    values = dict(zip((s.pk for s in free), spread(free, total - sum(pinned.get(s.item.code, 0) for s in scores)),
                      strict=True))
    return [pinned[s.item.code] if s.item.code in pinned else values[s.pk] for s in scores]


def _update_scores(scores, fields):
    """Write `fields` of these scores with one UPDATE per distinct set of values. The demo's scores
    take few distinct values, and Django's bulk_update builds a CASE per row and field, which made it
    most of the demo's loading time (the test suite loads the demo often)."""
    groups = {}
    for s in scores:
        groups.setdefault(tuple(getattr(s, f) for f in fields), []).append(s.pk)
    for values, pks in groups.items():
        Score.objects.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))


def _fill_self(assessment, area_totals, actor, salt, pinned=None, only_area=None):
    changed = []
    for area_index, (scores, total) in enumerate(zip(_leaves_by_area(assessment), area_totals, strict=True)):
        if only_area is not None and area_index != only_area:
            continue
        values = _with_pinned(scores, total, pinned or {}, lambda free, rest, i=area_index: points_spread(
            total=rest, maxima=[s.max_points for s in free], salt=salt + i))
        for s, v in zip(scores, values, strict=True):
            s.self_score, s.updated_by = v, actor
            s.self_note = _self_note(s)
            changed.append(s)
    _update_scores(changed, ["self_score", "self_note", "updated_by"])


def _fill_appraised(assessment, area_totals, salt, pinned=None, only_area=None):
    changed = []
    for area_index, (scores, total) in enumerate(zip(_leaves_by_area(assessment), area_totals, strict=False)):
        if only_area is not None and area_index != only_area:
            continue
        values = _with_pinned(scores, total, pinned or {}, lambda free, rest, i=area_index: points_follow(
            total=rest, base=[s.self_score or D(0) for s in free], maxima=[s.max_points for s in free], salt=salt + i))
        for s, v in zip(scores, values, strict=True):
            s.appraised_score = v
            if s.self_score is not None and v < s.self_score:
                s.appraisal_comment = "Tài liệu kiểm chứng chưa đầy đủ so với mức điểm tự chấm."
            changed.append(s)
    _update_scores(changed, ["appraised_score", "appraisal_comment"])


def _date_history(assessment, now, days_ago):
    """Move the workflow's timestamps (and the events' times) back to a plausible timeline."""
    fields = {
        "submit": "submitted_at", "start_appraisal": "appraisal_started_at", "return": "returned_at",
        "complete": "appraised_at", "approve": "approved_at",
    }
    events = list(assessment.events.order_by("at", "id"))
    steps = list(days_ago) + [days_ago[-1]] * max(0, len(events) - len(days_ago))
    updates = {}
    for index, (event, days) in enumerate(zip(events, steps, strict=False)):
        # Office hours of that day, later steps later in the day.
        moment = timezone.localtime(now - dt.timedelta(days=days)).replace(
            hour=8 + index, minute=(17 * (index + 1)) % 60, second=0, microsecond=0,
        )
        ApprovalEvent.objects.filter(pk=event.pk).update(at=moment)
        if event.action in fields:
            updates[fields[event.action]] = moment
    if updates:
        Assessment.objects.filter(pk=assessment.pk).update(**updates)


def _run(assessment, steps):
    for step, actor in steps:
        assessment = step(assessment=assessment, actor=actor)
    return assessment


def _untouched(assessment):
    """A commune is loaded once: a started sheet or any workflow step means someone (the loader or a
    person trying the demo) has been there, and it is left alone."""
    return (assessment.status == AssessmentStatus.DRAFT and not assessment.events.exists()
            and not assessment.scores.filter(self_score__isnull=False).exists()
            and not assessment.plan_tasks.exists() and not assessment.documents.exists())


def ba_thanh_load(*, assessment, users, now):
    officer, appraiser = users["canbo.bathanh"], users["thamdinh.bato"]
    signatory = Signatory.objects.get(unit=assessment.unit, is_default=True)
    Assessment.objects.filter(pk=assessment.pk).update(
        is_illustrative=False, plan_number="193/QĐ-UBND", plan_date=dt.date(2023, 12, 29),
        strengths=BA_THANH_STRENGTHS, weaknesses=BA_THANH_WEAKNESSES, proposals="Không có",
        report_request="Công văn số 50/UBND ngày 08/01/2025 của UBND huyện",
        report_request_subject="về việc đánh giá kết quả chỉ số cải cách hành chính năm 2024 của UBND các xã, "
                               "thị trấn",
        report_addressee="UBND huyện", report_date=None, report_number="", signatory=signatory,
        documents_declared=BA_THANH_DOCUMENTS_DECLARED, item_scores_basis=ItemScoresBasis.ILLUSTRATIVE,
    )
    assessment.refresh_from_db()
    documents = [
        Document(assessment=assessment, doc_type=t, number_symbol=n, issued_on=d, summary=s, is_illustrative=ill)
        for t, n, d, s, ill in BA_THANH_DOCUMENTS
    ]
    Document.objects.bulk_create(documents)
    Meeting.objects.bulk_create([
        Meeting(assessment=assessment, kind=k, held_on=d, title=t, document=doc) for k, d, t, doc in BA_THANH_MEETINGS
    ])
    areas = {i.code: i for i in Item.objects.filter(criteria_set=assessment.year.criteria_set, level=ItemLevel.AREA)}
    tasks, order = [], 0
    for area_code, rows in BA_THANH_TASKS.items():
        for index, (content, lead, deadline, result) in enumerate(rows):
            order += 1
            deadline = dt.date.fromisoformat(deadline)
            done = (area_code, index) != BA_THANH_TASK_NOT_DONE
            completed = _completion_date(deadline, result, order) if done else None
            tasks.append(PlanTask(
                assessment=assessment, order=order, content=content, area=areas[area_code], lead=lead,
                deadline=deadline, status=PlanTaskStatus.DONE if done else PlanTaskStatus.NOT_DONE,
                completed_on=completed, result_document=result,
            ))
    PlanTask.objects.bulk_create(tasks)
    ServiceFigures.objects.create(
        assessment=assessment, period_start=dt.date(2023, 12, 15), period_end=dt.date(2024, 11, 15),
        dossiers_received=946, dossiers_online=946, results_digitised=None, digitised_rate_published=D("95.39"),
    )
    _fill_self(assessment, BA_THANH_SELF, officer, salt=3, pinned=BA_THANH_PINNED)
    _link_ba_thanh_evidence(assessment, officer)
    assessment = _run(assessment, [(workflow.assessment_submit, officer),
                                   (workflow.assessment_start_appraisal, appraiser)])
    _fill_appraised(assessment, BA_THANH_APPRAISED, salt=5, pinned=BA_THANH_PINNED)
    assessment = _run(assessment, [(workflow.assessment_complete_appraisal, appraiser),
                                   (workflow.assessment_approve, appraiser)])
    _date_history(assessment, now, BA_THANH_DAYS_AGO)
    _ba_thanh_texts_ensure(assessment, officer)
    return assessment


def ba_thanh_repair(*, assessment, users):
    """Bring a Ba Thành loaded by an earlier version of the demo in line with the seed (idempotent):
    drop the documents it invented, record the declared count, clear a report date given without a
    number, label the spread item scores as illustrative, score 7.2.1 as its own figures say, fix
    the meeting title, and store the seed's wording of the report body."""
    changed = []
    invented = assessment.documents.filter(number_symbol__in=INVENTED_DOCUMENTS, is_illustrative=True)
    if invented.exists():
        invented.delete()
        changed.append("documents")
    fields = {}
    if assessment.documents_declared is None:
        fields["documents_declared"] = BA_THANH_DOCUMENTS_DECLARED
    if assessment.item_scores_basis == ItemScoresBasis.ITEMS:
        fields["item_scores_basis"] = ItemScoresBasis.ILLUSTRATIVE
    if not assessment.report_number and assessment.report_date is not None:
        fields["report_date"] = None
    if fields:
        Assessment.objects.filter(pk=assessment.pk).update(**fields)
        changed += list(fields)
    if assessment.meetings.filter(title=MEETING_MIDYEAR_OLD).update(title=MEETING_MIDYEAR):
        changed.append("meetings")
    codes = [code for code, value in BA_THANH_PINNED.items()
             if assessment.scores.filter(item__code=code).exclude(self_score=value).exists()
             or assessment.scores.filter(item__code=code).exclude(appraised_score=value).exists()]
    if codes and not assessment.year.is_published:
        area_index = sorted({c.split(".")[0] for c in codes}, key=Item.sort_key_for)
        for code in area_index:
            index = int(code) - 1
            _fill_self(assessment, BA_THANH_SELF, users["canbo.bathanh"], salt=3, pinned=BA_THANH_PINNED,
                       only_area=index)
            _fill_appraised(assessment, BA_THANH_APPRAISED, salt=5, pinned=BA_THANH_PINNED, only_area=index)
        changed.append("scores")
    if _ba_thanh_texts_ensure(assessment, users["canbo.bathanh"]):
        changed.append("report_texts")
    return changed


def _ba_thanh_texts_ensure(assessment, officer):
    """The seed's wording of the body, unless the commune's wording exists already."""
    from reports.models import ReportText

    if ReportText.objects.filter(assessment=assessment).exists():
        return False
    ReportText.objects.bulk_create([ReportText(assessment=assessment, key=key, text=text, updated_by=officer)
                                    for key, text in BA_THANH_REPORT_TEXTS.items()])
    return True


def demo_criteria_set_repair(*, criteria_set):
    """Give a criteria set loaded by an earlier demo its whole legal basis and the area names of
    the shipped file ("Lĩnh vực …", "… của tỉnh"). Only the demo set, only what the file says."""
    import yaml

    data = yaml.load(CRITERIA_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    decision = data.get("decision") or {}
    changed = []
    if not criteria_set.decision_title and decision.get("title"):
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(decision_title=decision["title"],
                                                              period=str(decision.get("period") or ""))
        changed.append("legal_basis")
    for area in data.get("items", []):
        if Item.objects.filter(criteria_set=criteria_set, level=ItemLevel.AREA, code=str(area["code"])) \
                .exclude(name=area["name"]).update(name=area["name"]):
            changed.append(f"area {area['code']}")
    return changed


def _completion_date(deadline, result, order):
    """The date of the result document when there is one, else a few days before the deadline."""
    dates = re.findall(r"(\d{1,2})/(\d{1,2})/(\d{4})", result)
    if dates:
        day, month, year = (int(x) for x in dates[-1])
        return dt.date(year, month, day)
    return min(deadline, dt.date(2024, 12, 10)) - dt.timedelta(days=order % 9)


# Which documents of the register prove which items of area 1 (chỉ đạo, điều hành).
BA_THANH_EVIDENCE = {
    "1.1.1": ("194/QĐ-UBND",), "1.2": ("33/BC-UBND", "102/BC-UBND", "189/BC-UBND", "23/UBND"),
    "1.5": ("194/QĐ-UBND", "195/QĐ-UBND"), "1.3": ("74/KH-UBND", "28/TB-UBND"),
}


def _link_ba_thanh_evidence(assessment, officer):
    documents = {d.number_symbol: d for d in assessment.documents.all()}
    scores = {s.item.code: s for s in assessment.scores.select_related("item")}
    Evidence.objects.bulk_create([
        Evidence(score=scores[code], document=documents[number], added_by=officer)
        for code, numbers in BA_THANH_EVIDENCE.items() if code in scores
        for number in numbers
    ])


def illustrative_load(*, assessment, scenario, users, now, salt):
    officer, appraiser = users[scenario.officer], users[
        "thamdinh.minhlong" if assessment.unit.parent.code == MINH_LONG else "thamdinh.bato"]
    Assessment.objects.filter(pk=assessment.pk).update(is_illustrative=True)
    assessment.refresh_from_db()
    S = AssessmentStatus
    if scenario.status == S.DRAFT:
        scores = {s.item.code: s for s in assessment.scores.select_related("item")}
        started = []
        for code, value in BA_DONG_STARTED:
            if code in scores:
                s = scores[code]
                s.self_score, s.updated_by = min(D(value), s.max_points), officer
                s.self_note = _self_note(s)
                started.append(s)
        _update_scores(started, ["self_score", "self_note", "updated_by"])
        return assessment
    _fill_self(assessment, scenario.self_areas, officer, salt=salt)
    assessment = workflow.assessment_submit(assessment=assessment, actor=officer)
    if scenario.status != S.SUBMITTED:
        assessment = workflow.assessment_start_appraisal(assessment=assessment, actor=appraiser)
        if scenario.appraised_areas:
            _fill_appraised(assessment, scenario.appraised_areas, salt=salt + 1)
    if scenario.status == S.RETURNED:
        for code in scenario.flagged:
            Score.objects.filter(assessment=assessment, item__code=code).update(
                flagged=True, flag_comment=FLAG_COMMENTS[code],
            )
        assessment = workflow.assessment_return_for_explanation(
            assessment=assessment, actor=appraiser, comment="Đề nghị xã giải trình, bổ sung 02 tiêu chí.",
        )
    elif scenario.status == S.APPROVED:
        assessment = _run(assessment, [(workflow.assessment_complete_appraisal, appraiser),
                                       (workflow.assessment_approve, appraiser)])
    _date_history(assessment, now, scenario.days_ago)
    return assessment


def demo_load(*, now=None):
    """Load (or complete) the demo. Returns what was created; nothing when it was all there."""
    now = now or timezone.now()
    report = DemoReport()
    # The history is dated back: e-mails about it now would be noise in the console or an inbox.
    # (The override is the outer block so that it still holds when the transaction commits and the
    # workflow's notifications run.)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
        units, report.created_units = demo_units_ensure()
        users, report.created_accounts = demo_accounts_ensure(units=units)
        report.criteria_set, report.criteria_set_created = demo_criteria_set_ensure(province=units[PROVINCE])
        report.year, report.year_created = demo_year_ensure(province=units[PROVINCE],
                                                             criteria_set=report.criteria_set, now=now)
        assessments = {a.unit.code: a for a in Assessment.objects.filter(year=report.year).select_related("unit")}
        if report.criteria_set.code == CRITERIA_CODE:
            report.repaired += demo_criteria_set_repair(criteria_set=report.criteria_set)
        ba_thanh = assessments.get(BA_THANH)
        if ba_thanh is not None and _untouched(ba_thanh):
            ba_thanh = ba_thanh_load(assessment=ba_thanh, users=users, now=now)
            report.loaded_communes.append(ba_thanh.unit.display_name)
        if ba_thanh is not None:
            ba_thanh.refresh_from_db()
            report.repaired += ba_thanh_repair(assessment=ba_thanh, users=users)
        for salt, (code, scenario) in enumerate(SCENARIOS.items()):
            assessment = assessments.get(code)
            if assessment is not None and _untouched(assessment):
                illustrative_load(assessment=assessment, scenario=scenario, users=users, now=now, salt=salt)
                report.loaded_communes.append(assessment.unit.display_name)
        from parindex.demo_current import current_structure_load

        current_structure_load(province=units[PROVINCE], units=units, users=users, now=now, report=report)
    return report
