import datetime as dt
from decimal import Decimal

import pytest

from parindex.models import AssessmentStatus, Item, RemedyLine, RemedyPlan


@pytest.fixture
def approved(world):
    """Commune A's 2024 result approved, each leaf appraised at half its maximum (the weak items)."""
    from tests.parindex.workflow_states import drive

    world.assessment_a = drive(world.assessment_a, AssessmentStatus.APPROVED, officer=world.officer_a,
                               appraiser=world.appraiser, appraised_share=Decimal("0.5"))
    return world


@pytest.fixture
def plan(approved):
    """A plan with two lines written directly (the draft from lost points is tested on its own)."""
    criteria_set = approved.year.criteria_set
    plan = RemedyPlan.objects.create(assessment=approved.assessment_a)
    RemedyLine.objects.create(plan=plan, order=1, item=Item.objects.get(criteria_set=criteria_set, code="1.1"),
                              points_lost=Decimal("1"), content="Ban hành kế hoạch CCHC năm đúng hạn.",
                              lead="Văn phòng - Thống kê", deadline=dt.date(2025, 3, 31),
                              expected_output="Quyết định ban hành kế hoạch")
    RemedyLine.objects.create(plan=plan, order=2, content="Tập huấn kỹ năng số cho công chức Bộ phận Một cửa.",
                              lead="Công chức Văn hóa - Xã hội")
    return plan
