"""Fixtures of the report tests: the Ba Thành 2024 assessment with the seed report's figures."""

import datetime as dt
from decimal import Decimal

import pytest

from communes.models import Recipient, Signatory, SignatoryPosition, UnitKind
from parindex.models import (
    AssessmentStatus,
    CriteriaSet,
    CriteriaSetStatus,
    Document,
    DocumentType,
    Item,
    ItemLevel,
    Meeting,
    MeetingKind,
    PlanTask,
    PlanTaskStatus,
    Score,
    ServiceFigures,
)

# (name, criteria, sub-criteria, max, self, appraised) per area, from the seed report.
SEED_AREAS = [
    ("Công tác chỉ đạo, điều hành CCHC", 6, 2, "11.50", "11.50", "6.73"),
    ("Lĩnh vực Cải cách thể chế", 4, 7, "11.00", "6.00", "6.00"),
    ("Lĩnh vực Cải cách thủ tục hành chính", 6, 17, "21.00", "17.00", "15.46"),
    ("Lĩnh vực Cải cách tổ chức bộ máy", 4, 7, "9.00", "5.00", "4.50"),
    ("Lĩnh vực Cải cách chế độ công vụ", 6, 12, "14.00", "8.00", "7.50"),
    ("Lĩnh vực Cải cách tài chính công", 3, 10, "12.00", "8.00", "7.24"),
    ("Xây dựng và phát triển chính quyền điện tử, chính quyền số", 3, 19, "17.50", "12.50", "7.27"),
    ("Đánh giá tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội của tỉnh",
     2, 3, "4.00", "3.00", "4.00"),
]
CENT = Decimal("0.01")


def _split(total, parts):
    base = (total / parts).quantize(CENT, rounding="ROUND_DOWN")
    return [total - base * (parts - 1)] + [base] * (parts - 1)


def _fill(maxima, total):
    """Greedy: each leaf takes as much of `total` as its max allows."""
    values = []
    for m in maxima:
        v = min(m, total)
        values.append(v)
        total -= v
    assert total == 0
    return values


def build_seed_criteria_set():
    cs = CriteriaSet.objects.create(
        code="qng-xa-test", name="Bộ Chỉ số CCHC của UBND xã, phường, thị trấn tỉnh Quảng Ngãi",
        unit_kinds=["xa", "phuong", "thi_tran"], decision_number="673/QĐ-UBND", decision_date=dt.date(2023, 7, 17),
        issuer="UBND tỉnh Quảng Ngãi", status=CriteriaSetStatus.ACTIVE,
        bands=[{"label": "Tốt", "min_percent": 90}, {"label": "Khá", "min_percent": 80},
               {"label": "Trung bình", "min_percent": 65}, {"label": "Yếu", "min_percent": 0}],
    )
    for a, (name, n_criteria, n_subs, maximum, _self, _appr) in enumerate(SEED_AREAS, start=1):
        area = Item.objects.create(criteria_set=cs, level=ItemLevel.AREA, code=str(a), name=name, order=a,
                                   max_points=Decimal(maximum), is_leaf=False)
        area.area = area
        area.save()
        with_subs = min(n_criteria, max(1, n_subs // 2)) if n_subs else 0
        subs_per = [len(range(i, n_subs, with_subs)) for i in range(with_subs)] if with_subs else []
        leaf_count = (n_criteria - with_subs) + n_subs
        shares = iter(_split(Decimal(maximum), leaf_count))
        for c in range(1, n_criteria + 1):
            if c <= with_subs:
                children = [next(shares) for _ in range(subs_per[c - 1])]
                criterion = Item.objects.create(criteria_set=cs, parent=area, area=area, level=ItemLevel.CRITERION,
                                                code=f"{a}.{c}", name=f"Tiêu chí {a}.{c}", order=c,
                                                max_points=sum(children), is_leaf=False)
                for s, share in enumerate(children, start=1):
                    Item.objects.create(criteria_set=cs, parent=criterion, area=area,
                                        level=ItemLevel.SUB_CRITERION, code=f"{a}.{c}.{s}",
                                        name=f"Tiêu chí thành phần {a}.{c}.{s}", order=s, max_points=share)
            else:
                Item.objects.create(criteria_set=cs, parent=area, area=area, level=ItemLevel.CRITERION,
                                    code=f"{a}.{c}", name=f"Tiêu chí {a}.{c}", order=c, max_points=next(shares))
    return cs


def seed_scores(assessment):
    for a, (_name, _c, _s, _max, self_total, appraised_total) in enumerate(SEED_AREAS, start=1):
        scores = list(Score.objects.filter(assessment=assessment, item__area__code=str(a)).order_by("item__sort_key"))
        maxima = [s.max_points for s in scores]
        for s, sv, av in zip(scores, _fill(maxima, Decimal(self_total)), _fill(maxima, Decimal(appraised_total)),
                             strict=True):
            s.self_score, s.appraised_score, s.self_note = sv, av, "Đã thực hiện"
        Score.objects.bulk_update(scores, ["self_score", "appraised_score", "self_note"])


@pytest.fixture
def ba_thanh(world):
    """Ba Thành (the world's commune A) with the seed report's data, published."""
    cs = build_seed_criteria_set()
    year = world.year
    year.criteria_set = cs
    year.theme = ("Đẩy mạnh cải cách hành chính; nâng cao hiệu lực, hiệu quả hoạt động của các cấp ủy, chính quyền; "
                  "thực hiện hiệu quả Chương trình phục hồi và phát triển kinh tế - xã hội và 03 Chương trình mục "
                  "tiêu quốc gia")
    year.published_at = dt.datetime(2025, 1, 20, tzinfo=dt.UTC)
    year.save()
    assessment = world.assessment_a
    Score.objects.filter(assessment__year=year).delete()
    for a in (world.assessment_a, world.assessment_b, world.assessment_c):
        a.scores.all().delete()
        Score.objects.bulk_create([Score(assessment=a, item=i, max_points=i.max_points)
                                   for i in Item.objects.filter(criteria_set=cs, is_leaf=True)])
    seed_scores(assessment)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.plan_number = "193/QĐ-UBND"
    assessment.plan_date = dt.date(2023, 12, 29)
    assessment.report_request = "Công văn số 50/UBND ngày 08/01/2025 của UBND huyện"
    assessment.report_request_subject = ("đánh giá kết quả chỉ số cải cách hành chính năm 2024 của UBND các xã, "
                                         "thị trấn")
    assessment.report_addressee = "UBND huyện"
    assessment.strengths = ("- Đến thời điểm báo cáo đã hoàn thành 57/58 nhiệm vụ đạt 98,28% so với kế hoạch đề ra.")
    assessment.weaknesses = ("- Bộ phận một cửa xã còn thiếu trang thiết bị.\n"
                             "- Một số người dân chưa biết sử dụng các thiết bị để nộp hồ sơ trực tuyến.")
    assessment.proposals = ""
    assessment.is_illustrative = True
    signatory = Signatory.objects.create(unit=world.commune_a, full_name="Phạm Văn Thước",
                                         position=SignatoryPosition.VICE_CHAIRMAN, is_default=True)
    assessment.signatory = signatory
    assessment.save()
    for order, text in enumerate(["UBND huyện", "Phòng Nội vụ huyện", "TT Đảng ủy xã", "TT HĐND xã", "UBND xã",
                                  "Lưu: VT"]):
        Recipient.objects.create(unit=world.commune_a, text=text, order=order)
    documents = [
        (DocumentType.QUYET_DINH, "194/QĐ-UBND", dt.date(2023, 12, 29), "phân công tham mưu, thực hiện nhiệm vụ"),
        (DocumentType.QUYET_DINH, "195/QĐ-UBND", dt.date(2023, 12, 29), "về ban hành Kế hoạch khắc phục"),
        (DocumentType.CONG_VAN, "23/UBND", dt.date(2024, 2, 26), "Về việc chỉ đạo báo cáo định kỳ công tác CCHC"),
        (DocumentType.KE_HOACH, "74/KH-UBND", dt.date(2024, 7, 12), "về việc tổ chức Hội nghị sơ kết"),
        (DocumentType.THONG_BAO, "28/TB-UBND", dt.date(2024, 7, 25), "Về Thông báo kết luận của Chủ tịch UBND xã"),
        (DocumentType.BAO_CAO, "33/BC-UBND", dt.date(2024, 3, 11), "báo cáo công tác CCHC (quý I)"),
        (DocumentType.BAO_CAO, "102/BC-UBND", dt.date(2024, 6, 11), "báo cáo công tác CCHC (6 tháng)"),
        (DocumentType.BAO_CAO, "189/BC-UBND", dt.date(2024, 9, 27), "báo cáo công tác CCHC (quý III)"),
    ]
    for doc_type, number, issued_on, summary in documents:
        Document.objects.create(assessment=assessment, doc_type=doc_type, number_symbol=number, issued_on=issued_on,
                                issuer="UBND xã", summary=summary)
    for month, title in ((1, "Tổng kết năm 2023"), (7, "Sơ kết công tác CCHC 6 tháng năm 2024")):
        Meeting.objects.create(assessment=assessment, kind=MeetingKind.CONFERENCE, held_on=dt.date(2024, month, 15),
                               title=title)
    for month in (2, 4, 6, 8, 10):
        Meeting.objects.create(assessment=assessment, kind=MeetingKind.REGULAR, held_on=dt.date(2024, month, 5),
                               title="Phiên họp thường kỳ")
    PlanTask.objects.bulk_create([
        PlanTask(assessment=assessment, order=i, content=f"Nhiệm vụ {i}",
                 status=PlanTaskStatus.DONE if i <= 57 else PlanTaskStatus.NOT_DONE)
        for i in range(1, 59)
    ])
    ServiceFigures.objects.create(assessment=assessment, period_start=dt.date(2023, 12, 15),
                                  period_end=dt.date(2024, 11, 15), dossiers_received=946, dossiers_online=946,
                                  digitised_rate_published=Decimal("95.39"), results_digitised=None)
    assert world.commune_a.kind == UnitKind.COMMUNE
    return assessment


# Figures every format of the Ba Thành report must carry.
EXPECTED_FIGURES = [
    "6,73/11,50", "6,00/11,00", "15,46/21,00", "4,50/9,00", "7,50/14,00", "7,24/12,00", "7,27/17,50", "4,00/4,00",
    "57/58", "98,28%", "1,72%", "946", "95,39%",
]
EXPECTED_HEADER = ["ỦY BAN NHÂN DÂN", "XÃ BA THÀNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
