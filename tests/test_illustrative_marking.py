"""Invented demo figures are marked "dữ liệu minh họa" wherever they are shown; real ones are not."""

import pytest
from django.urls import reverse

MARK = "dữ liệu minh họa"


@pytest.fixture
def marked(world):
    world.assessment_b.is_illustrative = True
    world.assessment_b.save(update_fields=["is_illustrative"])
    return world


def test_the_queue_marks_only_the_illustrative_commune(client, marked):
    client.force_login(marked.appraiser)
    html = client.get(reverse("appraisal_queue")).content.decode()
    rows = {name: row for row in html.split("<tr")[1:] for name in ("Ba Thành", "Ba Động") if name in row}
    assert MARK in rows["Ba Động"]
    assert MARK not in rows["Ba Thành"]


@pytest.mark.parametrize("url_name, persona", [("appraisal_sheet", "appraiser"), ("score_sheet", "officer_b")])
def test_the_sheets_of_an_illustrative_assessment_carry_the_banner(client, marked, url_name, persona):
    client.force_login(getattr(marked, persona))
    html = client.get(reverse(url_name, args=[marked.assessment_b.pk])).content.decode()
    assert MARK.capitalize() in html


def test_a_real_assessment_carries_no_banner(client, marked):
    client.force_login(marked.officer_a)
    html = client.get(reverse("score_sheet", args=[marked.assessment_a.pk])).content.decode()
    assert MARK not in html.lower()


def test_the_report_list_marks_the_illustrative_assessment(client, marked):
    client.force_login(marked.officer_b)
    html = client.get(reverse("report_job_list")).content.decode()
    assert MARK in html


def test_the_appraisal_sheet_marks_sample_criteria(client, marked):
    from parindex.models import Item

    Item.objects.filter(criteria_set=marked.year.criteria_set, code="1.1").update(is_sample=True)
    client.force_login(marked.appraiser)
    html = client.get(reverse("appraisal_sheet", args=[marked.assessment_a.pk])).content.decode()
    assert html.count("nội dung mẫu") == 1
