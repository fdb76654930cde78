"""load_demo repairs a demo loaded by an earlier version: it removes what that version invented for
xã Ba Thành and brings the record in line with the seed, and changes nothing the second time."""

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from parindex.models import (
    Assessment,
    CriteriaSet,
    Document,
    DocumentType,
    Item,
    ItemLevel,
    ItemScoresBasis,
    Score,
)
from reports.models import ReportText


def _run():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _age_like_an_old_demo(ba_thanh):
    """What the demo of earlier versions wrote."""
    Document.objects.bulk_create([
        Document(assessment=ba_thanh, doc_type=DocumentType.QUYET_DINH, number_symbol="08/QĐ-UBND",
                 issued_on=dt.date(2024, 1, 15), summary="về việc kiện toàn Ban Chỉ đạo", is_illustrative=True),
        Document(assessment=ba_thanh, doc_type=DocumentType.KE_HOACH, number_symbol="118/KH-UBND",
                 issued_on=dt.date(2024, 10, 7), summary="về việc tổ chức Hội nghị tọa đàm", is_illustrative=True),
    ])
    Assessment.objects.filter(pk=ba_thanh.pk).update(documents_declared=None, item_scores_basis=ItemScoresBasis.ITEMS)
    ReportText.objects.filter(assessment=ba_thanh).delete()
    # The old spread gave 7.2.1 (online dossiers) nothing although 946/946 were online.
    Score.objects.filter(assessment=ba_thanh, item__code="7.2.1").update(self_score=Decimal("0"),
                                                                         appraised_score=Decimal("0"))
    criteria_set = ba_thanh.year.criteria_set
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(decision_title="", period="")
    Item.objects.filter(criteria_set=criteria_set, level=ItemLevel.AREA, code="2").update(name="Cải cách thể chế")


def test_load_demo_repairs_an_old_demo_and_then_changes_nothing(db):
    _run()
    ba_thanh = Assessment.objects.get(unit__code="21199", year__year=2024)
    self_before = sum(s.self_score for s in Score.objects.filter(assessment=ba_thanh))
    _age_like_an_old_demo(ba_thanh)

    out = _run()
    assert "Đã sửa dữ liệu mẫu cũ" in out
    ba_thanh.refresh_from_db()
    assert not ba_thanh.documents.filter(number_symbol__in=["08/QĐ-UBND", "118/KH-UBND"]).exists()
    assert ba_thanh.documents.count() == 9 and ba_thanh.documents_declared == 12
    assert ba_thanh.item_scores_basis == ItemScoresBasis.ILLUSTRATIVE
    assert ReportText.objects.filter(assessment=ba_thanh, key="closing").exists()
    online = Score.objects.get(assessment=ba_thanh, item__code="7.2.1")
    assert online.self_score == online.appraised_score == Decimal("1.5")
    # The area totals of the seed are kept.
    assert sum(s.self_score for s in Score.objects.filter(assessment=ba_thanh)) == self_before
    area7 = Score.objects.filter(assessment=ba_thanh, item__area__code="7")
    assert sum(s.appraised_score for s in area7) == Decimal("7.27")
    criteria_set = CriteriaSet.objects.get(pk=ba_thanh.year.criteria_set_id)
    assert criteria_set.period == "2023-2030" and criteria_set.decision_title.startswith("phê duyệt Đề án")
    assert Item.objects.get(criteria_set=criteria_set, level=ItemLevel.AREA, code="2").name == \
        "Lĩnh vực Cải cách thể chế"

    assert "không thay đổi gì" in _run()
