"""Shared fixtures: a small world of two districts with communes, and one persona per role.

The personas follow Healthchecks' habit of running each view test as owner, member and outsider:
officer_a (commune A), officer_b (commune B, same district), appraiser (A's district),
other_appraiser (another district), admin (province administrator).
"""

import copy
import os

import pytest
from django.db import transaction
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


def _run_order(item) -> int:
    """Whole browser journeys first, then the other browser tests, then the rest: pytest-xdist hands
    files to its processes in this order, so the longest files start early and the run does not end
    with one process finishing a 50-second journey while the other waits."""
    path = item.path.as_posix()
    if "/tests/e2e/" not in path:
        return 2
    return 0 if "journey" in item.path.name else 1


def pytest_collection_modifyitems(config, items):
    """Browser journeys run first (above). Service tests fail (never skip) when REQUIRE_SERVICES=1;
    without it they are skipped."""
    items.sort(key=_run_order)  # stable: each file keeps its own order
    if os.environ.get("REQUIRE_SERVICES") == "1":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL + Redis + a Celery worker: run with REQUIRE_SERVICES=1")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


def _world_build():
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


class World:
    """The small world of the module docstring: units, one year, three assessments, the personas."""


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}
DATABASE_FIXTURES = TRANSACTIONAL_FIXTURES | {"db"}


def _module_can_share_world(module_request) -> bool:
    """Whether every test of this module that touches the database asks for the world and runs in a
    rolled-back transaction. A committing test (transactional_db, a live server, a real worker)
    cannot run inside the module's transaction, and a test that did not ask for the world must not
    find it in the database (load_demo would adopt its province, for one)."""
    for item in module_request.session.items:
        if item.path != module_request.node.path:
            continue
        names = set(getattr(item, "fixturenames", ()))
        marker = item.get_closest_marker("django_db")
        if TRANSACTIONAL_FIXTURES & names or (marker and marker.kwargs.get("transaction")):
            return False
        if "world" not in names and (DATABASE_FIXTURES & names or marker):
            return False
    return True


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """The world made once per test module, as Django's TestCase.setUpTestData does: inside a
    transaction rolled back when the module ends, each test then running in a savepoint of it (the
    `db` fixture) and getting its own deep copy of the objects. Building it took a tenth of a second
    per test, for more than five hundred tests. None where the module cannot share it (above)."""
    if not _module_can_share_world(request):
        yield None
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As TestCase marks its own: code under test may still open a durable block inside it.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            world = _world_build()
        except BaseException:
            atomic.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(request, _module_world):
    """The world for one test: a copy of the module's, or made for this test alone."""
    committing = TRANSACTIONAL_FIXTURES & set(request.fixturenames)
    request.getfixturevalue("transactional_db" if committing else "db")
    if _module_world is None:
        return _world_build()
    return copy.deepcopy(_module_world)
