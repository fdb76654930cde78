"""A commune whose record holds area totals only: its appendix is printed at area level, as such."""

import pytest

from parindex.models import Assessment, ItemScoresBasis
from reports.data import commune_report_data
from tests.factories import fill_scores


@pytest.fixture
def scored(world, media):
    fill_scores(world.assessment_a, self_share=1)
    return world


def test_a_record_with_area_totals_only_prints_its_appendix_at_area_level(scored):
    Assessment.objects.filter(pk=scored.assessment_a.pk).update(item_scores_basis=ItemScoresBasis.AREAS)
    appendix = commune_report_data(assessment=scored.assessment_a)["appendix"]
    assert appendix["rows"] and {row["level"] for row in appendix["rows"]} == {"area"}
    assert "chỉ có điểm theo lĩnh vực" in appendix["sample_note"]
    assert "nội dung mẫu" not in appendix["sample_note"]  # no item text is printed at all
