from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus, Score
from parindex.services.evidence import evidence_link_add
from parindex.services.quality import assessment_quality_check
from tests.factories import AssessmentFactory, DocumentFactory, EvaluationYearFactory, fill_scores


def leaf(assessment, code):
    return Score.objects.select_related("item").get(assessment=assessment, item__code=code)


def codes(findings):
    return [f.item_code for f in findings]


def test_unscored_leaves_block(world):
    report = assessment_quality_check(assessment=world.assessment_a)
    assert codes(report.errors) == ["1.1", "1.2", "1.3.1", "1.3.2", "2.1", "2.2.1", "2.2.2"]
    assert report.errors[0].message == "Chưa chấm điểm tự đánh giá."
    assert report.errors[0].anchor == "item-1.1"


def test_a_score_without_evidence_or_explanation_blocks_where_required(world):
    fill_scores(world.assessment_a, note="")
    report = assessment_quality_check(assessment=world.assessment_a)
    assert len(report.errors) == 7
    assert all("chưa có tài liệu kiểm chứng hoặc thuyết minh" in f.message for f in report.errors)


def test_evidence_or_a_note_satisfies_the_requirement(world):
    fill_scores(world.assessment_a, note="")
    a = world.assessment_a
    evidence_link_add(score=leaf(a, "1.1"), actor=world.officer_a, document=DocumentFactory(assessment=a))
    noted = leaf(a, "1.2")
    noted.self_note = "Căn cứ báo cáo số 5/BC-UBND"
    noted.save()
    relaxed = leaf(a, "2.1").item
    relaxed.requires_evidence = False
    relaxed.save()
    report = assessment_quality_check(assessment=a)
    assert codes(report.errors) == ["1.3.1", "1.3.2", "2.2.1", "2.2.2"]


def test_a_zero_score_needs_no_evidence(world):
    fill_scores(world.assessment_a, self_share=Decimal("0"), note="")
    assert assessment_quality_check(assessment=world.assessment_a).ok


def test_score_above_the_items_maximum_blocks(world):
    fill_scores(world.assessment_a)
    item = leaf(world.assessment_a, "1.1").item
    item.max_points = Decimal("1.5")  # the set's maximum was lowered after the score was entered
    item.save()
    report = assessment_quality_check(assessment=world.assessment_a)
    assert [f.message for f in report.errors] == ["Điểm tự đánh giá 2,00 vượt điểm tối đa 1,50."]


def test_not_applicable_without_a_reason_is_a_warning(world):
    fill_scores(world.assessment_a)
    s = leaf(world.assessment_a, "1.1")
    s.not_applicable, s.self_score, s.self_note = True, None, ""
    s.save()
    report = assessment_quality_check(assessment=world.assessment_a)
    assert report.ok
    assert codes(report.warnings) == ["1.1"]


def test_a_large_change_from_last_year_is_a_warning(world):
    last_year = EvaluationYearFactory(year=2023, scope=world.province, criteria_set=world.year.criteria_set)
    previous = AssessmentFactory(year=last_year, unit=world.commune_a, status=AssessmentStatus.PUBLISHED)
    fill_scores(previous, appraised_share=Decimal("0"))
    fill_scores(world.assessment_a)
    report = assessment_quality_check(assessment=world.assessment_a)
    assert report.ok
    assert "Chênh lệch lớn so với điểm thẩm định năm trước (0,00)." in [f.message for f in report.warnings]


def test_last_years_appraisal_still_in_progress_is_not_compared(world):
    # Last year's score is the one the appraisal sheet shows: from an approved or published result.
    last_year = EvaluationYearFactory(year=2023, scope=world.province, criteria_set=world.year.criteria_set)
    previous = AssessmentFactory(year=last_year, unit=world.commune_a, status=AssessmentStatus.IN_APPRAISAL)
    fill_scores(previous, appraised_share=Decimal("0"))
    fill_scores(world.assessment_a)
    report = assessment_quality_check(assessment=world.assessment_a)
    assert not [f for f in report.warnings if "năm trước" in f.message]


def test_survey_items_are_not_checked(world):
    fill_scores(world.assessment_a)
    s = leaf(world.assessment_a, "2.1")
    s.item.scoring_method = "survey"
    s.item.save()
    Score.objects.filter(pk=s.pk).update(self_score=None)
    assert assessment_quality_check(assessment=world.assessment_a).ok


@pytest.mark.parametrize("persona", ["officer_a", "appraiser"])
def test_check_page_links_each_finding_to_its_item(client, world, persona):
    client.force_login(getattr(world, persona))
    html = client.get(reverse("score_sheet_check", args=[world.assessment_a.pk])).content.decode()
    sheet = reverse("score_sheet", args=[world.assessment_a.pk])
    assert f'href="{sheet}#item-1.1"' in html
    assert "Lỗi phải sửa trước khi nộp (7)" in html
    assert "Nộp bản tự đánh giá" not in html


def test_check_page_offers_submission_when_clean(client, world):
    fill_scores(world.assessment_a)
    client.force_login(world.officer_a)
    html = client.get(reverse("score_sheet_check", args=[world.assessment_a.pk])).content.decode()
    assert "Nộp bản tự đánh giá" in html
    client.force_login(world.appraiser)
    html = client.get(reverse("score_sheet_check", args=[world.assessment_a.pk])).content.decode()
    assert "Nộp bản tự đánh giá" not in html


def test_check_page_is_hidden_from_outsiders(client, world):
    client.force_login(world.officer_b)
    assert client.get(reverse("score_sheet_check", args=[world.assessment_a.pk])).status_code == 404


def test_it_warns_when_the_declared_count_differs_from_the_register_and_of_a_document_before_the_plan_year(
        world, client):
    import datetime as dt

    from parindex.models import Assessment

    for day in (dt.date(2023, 12, 29), dt.date(2023, 6, 1), dt.date(2024, 2, 26)):
        DocumentFactory(assessment=world.assessment_a, issued_on=day)
    Assessment.objects.filter(pk=world.assessment_a.pk).update(documents_declared=12, plan_number="193/QĐ-UBND",
                                                               plan_date=dt.date(2023, 12, 29))
    world.assessment_a.refresh_from_db()
    report = assessment_quality_check(assessment=world.assessment_a)
    assert report.register_warnings[0] == ("Đã kê khai 12 văn bản chỉ đạo, điều hành nhưng danh mục có "
                                           "03 văn bản.")
    # Late 2023 is the plan's own time (193/QĐ-UBND of 29/12/2023); June 2023 is before it.
    old = [w for w in report.register_warnings if "trước năm kế hoạch" in w]
    assert len(old) == 1 and "01/06/2023" in old[0]
    assert report.ok or report.errors  # warnings never block
    client.force_login(world.officer_a)
    html = client.get(reverse("score_sheet_check", args=[world.assessment_a.pk])).content.decode()
    assert "danh mục có 03 văn bản" in html and "01/06/2023" in html


def test_no_register_warning_when_the_count_matches(world):
    DocumentFactory(assessment=world.assessment_a)
    from parindex.models import Assessment

    Assessment.objects.filter(pk=world.assessment_a.pk).update(documents_declared=1)
    world.assessment_a.refresh_from_db()
    assert assessment_quality_check(assessment=world.assessment_a).register_warnings == []
