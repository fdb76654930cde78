"""The cross-check findings are shown beside their item: on the score sheet (commune), on the
pre-submit check, and on the appraisal sheet (appraiser); an outsider sees none of them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus, CheckKind, CheckSeverity, CrossCheckRule, Item
from tests.factories import ServiceFiguresFactory, fill_scores
from tests.parindex.workflow_states import drive

MESSAGE = "Có điểm nhưng chưa gắn tài liệu kiểm chứng (mẫu)."
AREA_MESSAGE = "Tổng điểm lĩnh vực 2 vượt mức khi chưa có số liệu."


@pytest.fixture
def rules(world):
    criteria_set = world.year.criteria_set
    CrossCheckRule.objects.create(item=Item.objects.get(criteria_set=criteria_set, code="1.1"),
                                  kind=CheckKind.EVIDENCE, message=MESSAGE)
    CrossCheckRule.objects.create(item=Item.objects.get(criteria_set=criteria_set, code="2"), kind=CheckKind.FIGURE,
                                  figure="online_rate", limit=Decimal("1"), severity=CheckSeverity.ERROR,
                                  message=AREA_MESSAGE)
    fill_scores(world.assessment_a)
    return world


def _leaf_html(html, code):
    start = html.index(f'id="item-{code}"')
    return html[start:html.index("</article>", start)]


def test_the_officer_sees_each_finding_beside_its_item(client, rules):
    client.force_login(rules.officer_a)
    html = client.get(reverse("score_sheet", args=[rules.assessment_a.pk])).content.decode()
    assert MESSAGE in _leaf_html(html, "1.1")
    assert MESSAGE not in _leaf_html(html, "1.2")
    area = html[html.index('id="area-2"'):]
    assert AREA_MESSAGE in area[:area.index('id="item-2.1"')]


def low_online_rate(assessment):
    ServiceFiguresFactory(assessment=assessment, dossiers_received=1000, dossiers_online=500)


def test_the_pre_submit_check_lists_an_error_rule_as_blocking(client, rules):
    client.force_login(rules.officer_a)
    url = reverse("score_sheet_check", args=[rules.assessment_a.pk])
    html = client.get(url).content.decode()
    warnings = html[html.index('id="warnings-title"'):]
    # Without figures the rule cannot be judged: a warning that names what is missing.
    assert AREA_MESSAGE in warnings and "chưa nhập tỷ lệ hồ sơ trực tuyến" in warnings
    low_online_rate(rules.assessment_a)
    html = client.get(url).content.decode()
    errors = html[html.index('id="errors-title"'):html.index('id="warnings-title"')]
    assert AREA_MESSAGE in errors and "50,00%" in errors
    assert "Chưa thể nộp: còn 1 lỗi" in html


def test_the_appraiser_sees_the_findings_beside_the_items(client, rules):
    drive(rules.assessment_a, AssessmentStatus.IN_APPRAISAL, officer=rules.officer_a, appraiser=rules.appraiser)
    low_online_rate(rules.assessment_a)
    client.force_login(rules.appraiser)
    html = client.get(reverse("appraisal_sheet", args=[rules.assessment_a.pk])).content.decode()
    assert html.count(MESSAGE) == 1
    assert AREA_MESSAGE in html


def test_an_outsider_sees_no_finding(client, rules):
    client.force_login(rules.other_appraiser)
    response = client.get(reverse("score_sheet", args=[rules.assessment_a.pk]))
    assert response.status_code in (403, 404)
    assert MESSAGE not in response.content.decode()
