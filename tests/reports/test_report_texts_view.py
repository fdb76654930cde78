"""The commune rewords the non-computed sentences of its report: defaults are the current text,
what it types is printed as typed (an empty box leaves the sentence out), every change has history;
appraisers read, outsiders do not see the page."""

import pytest
from django.urls import reverse

from reports.body_texts import KEYS, body_text_defaults
from reports.data import commune_report_data
from reports.models import ReportText
from tests.factories import fill_scores

SEED_CLOSING = ("Trên đây là Báo cáo tóm tắt kết quả triển khai thực hiện công tác Cải cách hành chính trong năm "
                "2024 của UBND xã Ba Thành. Kính báo cáo UBND huyện.")


@pytest.fixture
def scored(world, media):
    fill_scores(world.assessment_a, self_share=1)
    return world


def _url(world):
    return reverse("report_texts_edit", args=[world.assessment_a.pk])


def _texts(data):
    blocks = [b for section in [data["intro"], *data["sections"]] for b in section]
    return [" ".join(run[0] for run in b["runs"]) for b in blocks] + [data["closing"]]


def _post(client, world, **changes):
    defaults = body_text_defaults(assessment=world.assessment_a)
    return client.post(_url(world), {**defaults, **changes})


def test_the_form_starts_from_the_text_the_report_prints(scored, client):
    client.force_login(scored.officer_a)
    html = client.get(_url(scored)).content.decode()
    defaults = body_text_defaults(assessment=scored.assessment_a)
    for key in KEYS:
        assert f'name="{key}"' in html
    assert defaults["closing"] in html
    assert defaults["closing"] in _texts(commune_report_data(assessment=scored.assessment_a))


def test_what_the_commune_types_is_printed_as_typed(scored, client):
    client.force_login(scored.officer_a)
    response = _post(client, scored, closing=SEED_CLOSING, basis_follow="")
    assert response.status_code == 302
    texts = _texts(commune_report_data(assessment=scored.assessment_a))
    assert SEED_CLOSING in texts  # no "./." added, no rewording
    default_follow = body_text_defaults(assessment=scored.assessment_a)["basis_follow"]
    assert not any(default_follow in t for t in texts)  # emptied: left out


def test_saving_the_default_keeps_no_override_and_changes_keep_history(scored, client):
    client.force_login(scored.officer_a)
    _post(client, scored)
    assert not ReportText.objects.filter(assessment=scored.assessment_a).exists()
    _post(client, scored, intro_lead="Lời dẫn thứ nhất.")
    _post(client, scored, intro_lead="Lời dẫn thứ hai.")
    row = ReportText.objects.get(assessment=scored.assessment_a, key="intro_lead")
    assert row.text == "Lời dẫn thứ hai."
    assert [h.text for h in row.history.order_by("history_date")] == ["Lời dẫn thứ nhất.", "Lời dẫn thứ hai."]
    assert row.history.latest().history_user == scored.officer_a
    _post(client, scored)  # back to the default: the override goes
    assert not ReportText.objects.filter(assessment=scored.assessment_a).exists()


def test_it_refuses_an_appraiser_s_post_and_hides_the_page_from_outsiders(scored, client):
    client.force_login(scored.appraiser)
    assert client.get(_url(scored)).status_code == 200
    assert _post(client, scored, closing="Sửa của cán bộ thẩm định.").status_code == 403
    assert not ReportText.objects.exists()
    client.force_login(scored.officer_b)
    assert client.get(_url(scored)).status_code == 404
    assert _post(client, scored, closing="x").status_code == 404

