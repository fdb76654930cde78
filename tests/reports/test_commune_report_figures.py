"""The report's public-service rates follow the same rule as the service figures page
(parindex.selectors.plan.service_figure_rates): a published rate, when entered, is the official one."""

from decimal import Decimal

from parindex.selectors.plan import service_figure_rates
from reports.data import commune_report_data
from tests.factories import ServiceFiguresFactory

ONLINE = "Tỷ lệ hồ sơ trực tuyến (%)"
DIGITISED = "Tỷ lệ số hóa kết quả hồ sơ (%)"


def _figure(data, label):
    return next(f for f in data["figures"] if f["label"] == label)


def _body_text(data):
    return " ".join(text for section in data["sections"] for block in section for text, _ in block["runs"])


def test_the_report_uses_the_published_online_rate_like_the_figures_page(world):
    ServiceFiguresFactory(assessment=world.assessment_a, dossiers_received=1000, dossiers_online=900,
                          online_rate_published=Decimal("95.39"), digitised_rate_published=None)
    page = service_figure_rates(assessment=world.assessment_a)
    data = commune_report_data(assessment=world.assessment_a)
    assert page.online.value == Decimal("95.39")
    assert _figure(data, ONLINE)["value"] == page.online.value
    assert "đạt 95,39%" in _body_text(data)
    assert "đạt 90,00%" not in _body_text(data)


def test_the_report_computes_rates_from_counts_when_none_is_published(world):
    ServiceFiguresFactory(assessment=world.assessment_a, dossiers_received=1000, dossiers_online=900,
                          results_digitised=800, online_rate_published=None, digitised_rate_published=None)
    data = commune_report_data(assessment=world.assessment_a)
    assert _figure(data, ONLINE)["value"] == Decimal("90")
    assert _figure(data, DIGITISED)["value"] == Decimal("80")
