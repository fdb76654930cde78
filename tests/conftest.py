"""Shared fixtures: a small world of two districts with communes, and one persona per role.

The personas follow Healthchecks' habit of running each view test as owner, member and outsider:
officer_a (commune A), officer_b (commune B, same district), appraiser (A's district),
other_appraiser (another district), admin (province administrator).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from communes.models import Role
from communes.services import membership_grant

from .factories import (
    AssessmentFactory,
    CommuneFactory,
    DistrictFactory,
    EvaluationYearFactory,
    ProvinceFactory,
    UserFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Fuzzing (tests/fuzz.py): at least 500 examples per test locally; CI runs a bounded number so the
# whole suite stays within its time. HYPOTHESIS_PROFILE picks one explicitly.
_FUZZ = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                      HealthCheck.data_too_large]}
settings.register_profile("dev", max_examples=500, **_FUZZ)
settings.register_profile("ci", max_examples=50, derandomize=True, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))


def pytest_configure(config):
    # The services run's Celery worker connects to the one test database pytest-django creates
    # (test_<name>); pytest-xdist would give each process its own (test_<name>_gw0, …).
    workers = getattr(config.option, "numprocesses", None)
    if os.environ.get("REQUIRE_SERVICES") == "1" and workers not in (None, 0):
        raise pytest.UsageError("Chạy kiểm thử với dịch vụ (REQUIRE_SERVICES=1) cần một tiến trình: "
                                "dùng -n 0 (make test TEST_WORKERS=0).")


def pytest_collection_modifyitems(config, items):
    """Service tests fail (never skip) when REQUIRE_SERVICES=1; without it they are skipped."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL + Redis + a Celery worker: run with REQUIRE_SERVICES=1")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def world(db):
    province = ProvinceFactory()
    district = DistrictFactory(name="Ba Tơ", code="D1", parent=province)
    other_district = DistrictFactory(name="Minh Long", code="D2", parent=province)
    commune_a = CommuneFactory(name="Ba Thành", code="C1", parent=district)
    commune_b = CommuneFactory(name="Ba Động", code="C2", parent=district)
    commune_c = CommuneFactory(name="Long Hiệp", code="C3", parent=other_district)
    year = EvaluationYearFactory(scope=province)
    assessments = {c.code: AssessmentFactory(year=year, unit=c) for c in (commune_a, commune_b, commune_c)}

    def person(username, unit, role):
        user = UserFactory(username=username)
        # Through the service, so the province admin is staff with the group's model permissions.
        membership_grant(user=user, unit=unit, role=role)
        return user

    class World:
        pass

    w = World()
    w.province, w.district, w.other_district = province, district, other_district
    w.commune_a, w.commune_b, w.commune_c = commune_a, commune_b, commune_c
    w.year = year
    w.assessment_a, w.assessment_b, w.assessment_c = assessments["C1"], assessments["C2"], assessments["C3"]
    w.officer_a = person("officer_a", commune_a, Role.COMMUNE_OFFICER)
    w.leader_a = person("leader_a", commune_a, Role.COMMUNE_LEADER)
    w.officer_b = person("officer_b", commune_b, Role.COMMUNE_OFFICER)
    w.appraiser = person("appraiser", district, Role.APPRAISER)
    w.other_appraiser = person("other_appraiser", other_district, Role.APPRAISER)
    w.admin = person("province_admin", province, Role.PROVINCE_ADMIN)
    w.viewer = person("viewer", district, Role.VIEWER)
    return w
