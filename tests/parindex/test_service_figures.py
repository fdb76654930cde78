from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parindex.models import ServiceFigures
from parindex.selectors.plan import service_figure_rates
from parindex.services.plan import service_figures_save
from tests.factories import ServiceFiguresFactory


def url(world):
    return reverse("service_figures_edit", args=[world.assessment_a.pk])


def test_rates_from_counts_and_published_rate_against_thresholds(world):
    world.year.digitisation_threshold = Decimal("90")
    world.year.save()
    ServiceFiguresFactory(assessment=world.assessment_a, dossiers_received=946, dossiers_online=946,
                          dossiers_fully_online=300, digitised_rate_published=Decimal("95.39"))
    world.assessment_a.refresh_from_db()
    rates = service_figure_rates(assessment=world.assessment_a)
    assert rates.online.value == Decimal("100") and rates.online.source == "counts" and rates.online.meets
    assert f"{rates.fully_online.value:.4f}" == "31.7125"
    assert rates.digitised.value == Decimal("95.39") and rates.digitised.source == "published"
    assert rates.digitised.meets


def test_a_rate_must_exceed_the_threshold(world):
    ServiceFiguresFactory(assessment=world.assessment_a, dossiers_received=100, dossiers_online=95,
                          digitised_rate_published=None)
    rates = service_figure_rates(assessment=world.assessment_a)
    assert rates.online.value == Decimal("95")
    assert rates.online.meets is False  # "quy định trên 95%"
    assert rates.digitised.value is None and rates.digitised.meets is None


def test_page_states_rate_and_rule_like_the_report(client, world):
    ServiceFiguresFactory(assessment=world.assessment_a)
    client.force_login(world.appraiser)
    html = client.get(url(world)).content.decode()
    assert "946/946 hồ sơ, đạt <strong>100,00%</strong>" in html
    assert "quy định trên 95%" in html
    assert "<strong>95,39%</strong> <span class=\"text-body-secondary\">(số liệu công bố)</span>" in html
    assert 'name="dossiers_received"' not in html  # readers get no form


def test_officer_saves_counts_and_a_published_rate_typed_with_a_comma(client, world):
    client.force_login(world.officer_a)
    response = client.post(url(world), {
        "period_start": "2023-12-15", "period_end": "2024-11-15", "dossiers_received": "946",
        "dossiers_online": "946", "dossiers_fully_online": "", "results_digitised": "",
        "online_rate_published": "", "digitised_rate_published": "95,39",
    })
    assert response.status_code == 302
    figures = world.assessment_a.service_figures
    assert figures.dossiers_received == 946 and figures.digitised_rate_published == Decimal("95.39")


def test_counts_above_the_received_total_are_refused_next_to_the_field(client, world):
    client.force_login(world.officer_a)
    response = client.post(url(world), {"dossiers_received": "100", "dossiers_online": "120",
                                        "period_start": "2024-11-15", "period_end": "2024-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số hồ sơ trực tuyến (120) không được lớn hơn số hồ sơ tiếp nhận (100)." in html
    assert "Ngày kết thúc kỳ số liệu phải sau ngày bắt đầu." in html
    assert 'value="120"' in html


def test_service_refuses_fully_online_above_online(world):
    with pytest.raises(ValidationError) as caught:
        service_figures_save(assessment=world.assessment_a, actor=world.officer_a, dossiers_received=10,
                             dossiers_online=5, dossiers_fully_online=6)
    assert "dossiers_fully_online" in caught.value.message_dict


def test_a_rate_above_100_is_refused(client, world):
    client.force_login(world.officer_a)
    response = client.post(url(world), {"online_rate_published": "101"})
    assert response.status_code == 200
    assert 'name="online_rate_published" value="101"' in response.content.decode()
    assert not ServiceFigures.objects.exists()


def test_readers_cannot_post_and_outsiders_cannot_see(client, world):
    client.force_login(world.appraiser)
    assert client.post(url(world), {"dossiers_received": "1"}).status_code == 403
    client.force_login(world.officer_b)
    assert client.get(url(world)).status_code == 404
