"""Criteria sets belong to a province (or are national templates): a province administrator sees,
edits, deletes and chooses only their own province's sets and the national templates, and the
national templates are read-only to them (issue 15, finding 5)."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from parindex.models import CriteriaSet, EvaluationYear
from parindex.services.criteria import CriteriaImportError, criteria_set_import
from parindex.services.years import YearError, evaluation_year_open
from tests.factories import (
    CriteriaSetFactory,
    DistrictFactory,
    EvaluationYearFactory,
    ProvinceFactory,
    build_criteria_set,
)

from .test_criteria_shipped import SHIPPED


@pytest.fixture
def sets(world):
    other = ProvinceFactory(name="Bình Định", code="52")
    DistrictFactory(code="540", parent=other)
    return {
        "own": build_criteria_set(code="bo-quang-ngai-2025", name="Bộ của Quảng Ngãi", province=world.province),
        "other": build_criteria_set(code="bo-binh-dinh-2025", name="Bộ riêng của Bình Định", province=other),
        "national": build_criteria_set(code="bo-mau-toan-quoc", name="Bộ mẫu toàn quốc 2025"),
        "other_province": other,
    }


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def change_url(criteria_set):
    return reverse("admin:parindex_criteriaset_change", args=[criteria_set.pk])


def test_a_province_admin_lists_own_and_national_sets_but_not_another_provinces(admin_client, sets):
    html = admin_client.get(reverse("admin:parindex_criteriaset_changelist")).content.decode()
    assert "Bộ của Quảng Ngãi" in html and "Bộ mẫu toàn quốc 2025" in html
    assert "Bộ riêng của Bình Định" not in html and change_url(sets["other"]) not in html
    assert "Bình Định" not in html  # nor in the owner filter


def test_a_province_admin_cannot_open_rename_or_delete_another_provinces_set(admin_client, sets):
    other = sets["other"]
    assert admin_client.get(change_url(other)).status_code == 302  # "does not exist" for them
    admin_client.post(change_url(other), {"code": other.code, "name": "Đổi tên", "unit_kinds": ["xa"],
                                          "status": "draft", "declared_total": "10", "precision": "2"})
    admin_client.post(reverse("admin:parindex_criteriaset_delete", args=[other.pk]), {"post": "yes"})
    admin_client.post(reverse("admin:parindex_criteriaset_changelist"), {
        "action": "delete_selected", "_selected_action": [other.pk], "post": "yes"})
    other.refresh_from_db()
    assert other.name == "Bộ riêng của Bình Định"
    assert admin_client.get(reverse("admin:parindex_criteriaset_export", args=[other.pk, "yaml"])).status_code == 404
    assert admin_client.post(reverse("admin:parindex_criteriaset_copy", args=[other.pk])).status_code == 404


def test_a_national_template_is_read_only_to_a_province_admin(admin_client, sets):
    national = sets["national"]
    html = admin_client.get(change_url(national)).content.decode()
    assert 'name="_save"' not in html
    response = admin_client.post(change_url(national), {"code": national.code, "name": "Đổi tên"})
    assert response.status_code == 403
    response = admin_client.post(reverse("admin:parindex_criteriaset_delete", args=[national.pk]), {"post": "yes"})
    assert response.status_code == 403
    item = national.items.get(code="1.1")
    assert admin_client.post(reverse("admin:parindex_item_change", args=[item.pk]),
                             {"name": "x", "code": "1.1", "max_points": "2"}).status_code == 403
    national.refresh_from_db()
    assert national.name == "Bộ mẫu toàn quốc 2025"


def test_copying_a_national_template_gives_the_province_its_own_draft(admin_client, sets, world):
    response = admin_client.post(reverse("admin:parindex_criteriaset_copy", args=[sets["national"].pk]))
    copy = CriteriaSet.objects.get(copied_from=sets["national"])
    assert response["Location"] == change_url(copy)
    assert copy.province == world.province
    assert 'name="_save"' in admin_client.get(change_url(copy)).content.decode()


def test_form_choices_and_filters_hold_only_visible_sets(admin_client, sets):
    year_form = admin_client.get(reverse("admin:parindex_evaluationyear_add")).content.decode()
    assert "Bộ của Quảng Ngãi" in year_form and "Bộ mẫu toàn quốc 2025" in year_form
    assert "Bộ riêng của Bình Định" not in year_form
    item_form = admin_client.get(reverse("admin:parindex_item_add")).content.decode()
    assert "Bộ của Quảng Ngãi" in item_form
    assert "Bộ riêng của Bình Định" not in item_form and "Bộ mẫu toàn quốc 2025" not in item_form
    items = admin_client.get(reverse("admin:parindex_item_changelist")).content.decode()
    assert "Bộ riêng của Bình Định" not in items and "Bộ của Quảng Ngãi" in items
    set_form = admin_client.get(reverse("admin:parindex_criteriaset_add")).content.decode()
    assert "Bình Định" not in set_form and "Bộ mẫu toàn quốc" not in set_form.split('name="province"')[1][:400]


def test_a_year_cannot_use_another_provinces_set(admin_client, sets, world):
    response = admin_client.post(reverse("admin:parindex_evaluationyear_add"), {
        "year": "2026", "scope": world.province.pk, "criteria_set": sets["other"].pk, "ranking_scope": "district",
        "online_filing_threshold": "95"})
    assert response.status_code == 200
    assert not EvaluationYear.objects.filter(year=2026).exists()
    year = EvaluationYearFactory(year=2027, scope=world.province, criteria_set=sets["other"])
    with pytest.raises(YearError, match="không phải của tỉnh này"):
        evaluation_year_open(year=year)


def test_importing_in_the_admin_gives_the_set_to_the_admins_province(admin_client, world):
    stream = io.BytesIO(SHIPPED.read_bytes())
    stream.name = "qn.yaml"
    admin_client.post(reverse("admin:parindex_criteriaset_import"), {"source": stream})
    assert CriteriaSet.objects.get(code="quang-ngai-xa-673-2023").province == world.province


def test_an_import_never_replaces_another_owners_set(world, sets):
    national = criteria_set_import(source=SHIPPED)
    with pytest.raises(CriteriaImportError, match="không thể ghi đè"):
        criteria_set_import(source=SHIPPED, replace=True, province=world.province)
    assert CriteriaSet.objects.get(pk=national.pk).province is None
    replaced = criteria_set_import(source=SHIPPED, replace=True)
    assert replaced.pk == national.pk


def test_the_import_command_takes_the_owning_province(world, capsys):
    call_command("import_criteria", str(SHIPPED), "--province", world.province.code)
    assert CriteriaSet.objects.get(code="quang-ngai-xa-673-2023").province == world.province


def test_the_migration_gives_a_set_used_by_one_province_to_it_and_keeps_the_rest_national(world, sets):
    migration = importlib.import_module("parindex.migrations.0003_criteria_set_province")
    used_by_two = CriteriaSetFactory(code="dung-chung")
    EvaluationYearFactory(year=2020, scope=world.province, criteria_set=used_by_two)
    EvaluationYearFactory(year=2020, scope=sets["other_province"], criteria_set=used_by_two)
    unused = CriteriaSetFactory(code="chua-dung")
    CriteriaSet.objects.update(province=None)
    migration.assign_owners(apps, None)
    assert CriteriaSet.objects.get(pk=world.year.criteria_set_id).province == world.province
    assert CriteriaSet.objects.get(pk=used_by_two.pk).province is None
    assert CriteriaSet.objects.get(pk=unused.pk).province is None
