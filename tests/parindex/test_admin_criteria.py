"""The admin for criteria sets, items and years: import page, tree, freeze, copy, province scope."""

import io

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from parindex.models import Assessment, AssessmentStatus, CriteriaSet, EvaluationYear, Item
from parindex.services.criteria import criteria_set_import
from tests.factories import (
    AssessmentFactory,
    CommuneFactory,
    DistrictFactory,
    DocumentFactory,
    EvaluationYearFactory,
    MeetingFactory,
    ProvinceFactory,
    UserFactory,
)

from .test_criteria_shipped import SHIPPED

IMPORT_URL = "admin:parindex_criteriaset_import"


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def root_client(client, root):
    client.force_login(root)
    return client


@pytest.fixture
def province_admin_client(client, world):
    client.force_login(world.admin)
    return client


def upload(content, name):
    stream = io.BytesIO(content)
    stream.name = name
    return stream


# --- Import page ---------------------------------------------------------------------------------

def test_the_changelist_links_to_the_import_page(province_admin_client):
    html = province_admin_client.get(reverse("admin:parindex_criteriaset_changelist")).content.decode()
    assert reverse(IMPORT_URL) in html and "Nhập bộ chỉ số từ tệp" in html


def test_the_import_page_picks_the_file_in_vietnamese(province_admin_client):
    html = province_admin_client.get(reverse(IMPORT_URL)).content.decode()
    assert "Chọn tệp…" in html and "Chưa chọn tệp" in html
    assert 'type="file"' in html and 'name="source"' in html and "js/vn-forms.js" in html


def test_a_province_admin_imports_the_shipped_set_and_sees_the_tree(province_admin_client, world):
    assert province_admin_client.get(reverse(IMPORT_URL)).status_code == 200
    response = province_admin_client.post(reverse(IMPORT_URL), {
        "source": upload(SHIPPED.read_bytes(), "quang-ngai.yaml")})
    assert response.status_code == 200
    html = response.content.decode()
    criteria_set = CriteriaSet.objects.get(code="quang-ngai-xa-673-2023")
    assert "Tổng: 8 lĩnh vực" in html and "<th>34</th>" in html and "<th>77</th>" in html
    assert "100,00 / 100,00" in html
    assert "Không có vấn đề" in html
    assert html.count('class="par-sample-badge"') >= 111
    assert 'class="par-tree par-depth-2"' in html
    assert reverse("admin:parindex_criteriaset_change", args=[criteria_set.pk]) in html


def test_the_import_page_shows_errors_with_row_and_reason_and_imports_nothing(root_client):
    broken = SHIPPED.read_text(encoding="utf-8").replace('code: "3.2.2"', 'code: "3.2.1"')
    response = root_client.post(reverse(IMPORT_URL), {"source": upload(broken.encode(), "hong.yaml")})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in html
    assert "(mã 3.2.1): mã bị trùng với dòng" in html
    assert not CriteriaSet.objects.exists()


def test_the_import_page_refuses_to_overwrite_a_frozen_set(root_client, world):
    criteria_set = criteria_set_import(source=SHIPPED)
    EvaluationYearFactory(year=2023, scope=world.province, criteria_set=criteria_set)
    response = root_client.post(reverse(IMPORT_URL), {
        "source": upload(SHIPPED.read_bytes(), "a.yaml"), "replace": "on"})
    assert "nên không thể sửa; hãy tạo bản sao" in response.content.decode()


@pytest.mark.parametrize("persona", ["officer_a", "appraiser", "viewer"])
def test_people_without_admin_access_are_sent_to_the_admin_login(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.post(reverse(IMPORT_URL), {"source": upload(SHIPPED.read_bytes(), "a.yaml")})
    assert response.status_code == 302 and not CriteriaSet.objects.filter(code="quang-ngai-xa-673-2023").exists()


# --- Change page, freeze and copy ----------------------------------------------------------------

@pytest.fixture
def shipped(db):
    return criteria_set_import(source=SHIPPED)


def test_the_change_page_shows_structure_problems_and_the_indented_tree(root_client, shipped):
    Item.objects.filter(criteria_set=shipped, code="1.3").update(max_points="2.5")
    html = root_client.get(reverse("admin:parindex_criteriaset_change", args=[shipped.pk])).content.decode()
    assert "Công tác chỉ đạo, điều hành CCHC" in html and "11,50" in html
    assert "Mục 1: tổng điểm tối đa của các mục con (12,00) khác điểm tối đa của mục (11,50)." in html
    assert html.index("<b>1.1</b>") < html.index("<b>1.1.1</b>") < html.index("<b>1.2</b>") < html.index("<b>2</b>")
    assert 'class="par-tree par-depth-1"' in html and 'class="par-tree par-depth-2"' in html
    assert "nội dung mẫu" in html
    assert 'name="_save"' in html
    assert f'{reverse("admin:parindex_item_add")}?criteria_set={shipped.pk}' in html


def test_saving_a_set_in_the_admin_reports_the_check(root_client, shipped):
    url = reverse("admin:parindex_criteriaset_change", args=[shipped.pk])
    data = {
        "code": shipped.code, "name": shipped.name, "unit_kinds": ["xa", "phuong"], "status": "draft",
        "is_sample": "on", "note": "", "decision_number": "673/QĐ-UBND", "decision_date": "17/07/2023",
        "issuer": "UBND tỉnh Quảng Ngãi", "declared_total": "99", "precision": "2",
        "bands": "Tốt ≥ 90; Khá ≥ 80; Trung bình ≥ 65; Yếu ≥ 0", "bonus_cap": "", "penalty_cap": "",
    }
    response = root_client.post(url, data, follow=True)
    assert response.status_code == 200
    shipped.refresh_from_db()
    assert shipped.unit_kinds == ["xa", "phuong"] and shipped.bands[2] == {"label": "Trung bình", "min_percent": 65}
    assert "Tổng điểm tối đa của các lĩnh vực (100,00) khác tổng điểm của bộ chỉ số (99,00)" \
        in response.content.decode()

    data["bands"] = "Tốt là 90"
    response = root_client.post(url, data)
    assert "không đọc được xếp loại" in response.content.decode()
    assert 'value="Tốt là 90"' in response.content.decode()


def test_a_frozen_set_and_its_items_are_read_only_in_the_admin(root_client, shipped, world):
    EvaluationYearFactory(year=2023, scope=world.province, criteria_set=shipped)
    url = reverse("admin:parindex_criteriaset_change", args=[shipped.pk])
    html = root_client.get(url).content.decode()
    assert "nên không thể sửa; hãy tạo bản sao" in html
    assert 'name="_save"' not in html and "Tạo bản sao để chỉnh sửa" in html
    assert f"?criteria_set={shipped.pk}" not in html
    assert root_client.post(url, {"name": "Đổi tên"}).status_code == 403

    item = Item.objects.get(criteria_set=shipped, code="1.2")
    item_url = reverse("admin:parindex_item_change", args=[item.pk])
    assert "nên không thể sửa" in root_client.get(item_url).content.decode()
    assert root_client.post(item_url, {"name": "x", "code": "1.2", "max_points": "2"}).status_code == 403
    assert root_client.post(reverse("admin:parindex_item_delete", args=[item.pk]), {"post": "yes"}).status_code == 403
    assert Item.objects.get(pk=item.pk).name == item.name


def test_the_copy_button_makes_an_editable_draft(root_client, shipped, world):
    EvaluationYearFactory(year=2023, scope=world.province, criteria_set=shipped)
    visit = root_client.get(reverse("admin:parindex_criteriaset_copy", args=[shipped.pk]))
    assert visit["Location"] == reverse("admin:parindex_criteriaset_change", args=[shipped.pk])
    assert not CriteriaSet.objects.filter(copied_from=shipped).exists()
    response = root_client.post(reverse("admin:parindex_criteriaset_copy", args=[shipped.pk]))
    copy = CriteriaSet.objects.get(copied_from=shipped)
    assert response["Location"] == reverse("admin:parindex_criteriaset_change", args=[copy.pk])
    assert copy.code == "quang-ngai-xa-673-2023-ban-sao" and copy.status == "draft"
    assert copy.items.count() == 119
    assert 'name="_save"' in root_client.get(response["Location"]).content.decode()

    item = copy.items.get(code="8.2")
    response = root_client.post(reverse("admin:parindex_item_change", args=[item.pk]), {
        "criteria_set": copy.pk, "code": "8.2", "name": "Chỉ tiêu kinh tế - xã hội", "order": 2, "max_points": "2.5",
        "scoring_guide": "", "evidence_guide": "", "scoring_method": "self", "requires_evidence": "on",
    }, follow=True)
    assert response.status_code == 200
    assert copy.items.get(code="8.2").name == "Chỉ tiêu kinh tế - xã hội"
    assert "Mục 8: tổng điểm tối đa của các mục con (4,50) khác điểm tối đa của mục (4,00)" \
        in response.content.decode()


def test_the_copy_action_on_the_changelist(root_client, shipped):
    response = root_client.post(reverse("admin:parindex_criteriaset_changelist"), {
        "action": "copy_for_editing", "_selected_action": [shipped.pk]})
    copy = CriteriaSet.objects.get(copied_from=shipped)
    assert response["Location"] == reverse("admin:parindex_criteriaset_change", args=[copy.pk])


def test_an_item_with_a_bad_code_is_refused_next_to_the_field(root_client, shipped):
    response = root_client.post(reverse("admin:parindex_item_add"), {
        "criteria_set": shipped.pk, "code": "9.1", "name": "Mới", "order": 1, "max_points": "1",
        "scoring_method": "self"})
    assert response.status_code == 200
    assert "Không tìm thấy mục cha mã 9" in response.content.decode()
    assert not Item.objects.filter(code="9.1").exists()


def test_the_item_list_is_an_ordered_indented_tree_with_search_and_filters(root_client, shipped):
    url = reverse("admin:parindex_item_changelist")
    html = root_client.get(url, {"criteria_set__id__exact": shipped.pk}).content.decode()
    assert html.index("<b>2</b>") < html.index("<b>2.1</b>") < html.index("<b>2.1.1</b>") < html.index("<b>3</b>")
    assert 'par-depth-2' in html
    html = root_client.get(url, {"q": "Đề án 06"}).content.decode()
    assert "7.3.2" in html and "<b>1.1</b>" not in html
    html = root_client.get(url, {"allows_not_applicable__exact": "1"}).content.decode()
    assert "3.4.2" in html and "<b>1.2</b>" not in html


# --- Years and the province scope ----------------------------------------------------------------

@pytest.fixture
def other_province(world):
    province = ProvinceFactory(name="Bình Định", code="52")
    district = DistrictFactory(code="540", parent=province)
    commune = CommuneFactory(code="21800", parent=district)
    year = EvaluationYearFactory(year=2024, scope=province)
    assessment = AssessmentFactory(year=year, unit=commune)
    return year, assessment


def test_a_province_admin_sees_only_the_years_of_their_province(province_admin_client, world, other_province):
    other_year, _ = other_province
    html = province_admin_client.get(reverse("admin:parindex_evaluationyear_changelist")).content.decode()
    assert reverse("admin:parindex_evaluationyear_change", args=[world.year.pk]) in html
    assert reverse("admin:parindex_evaluationyear_change", args=[other_year.pk]) not in html
    response = province_admin_client.get(reverse("admin:parindex_evaluationyear_change", args=[other_year.pk]))
    assert response.status_code == 302  # "does not exist" for them


def test_a_province_admin_with_assessment_rights_sees_only_their_assessments(client, world, other_province):
    world.admin.user_permissions.add(Permission.objects.get(codename="view_assessment"))
    client.force_login(world.admin)
    html = client.get(reverse("admin:parindex_assessment_changelist")).content.decode()
    assert reverse("admin:parindex_assessment_change", args=[world.assessment_a.pk]) in html
    assert reverse("admin:parindex_assessment_change", args=[other_province[1].pk]) not in html


def test_the_open_action_creates_the_missing_assessments(province_admin_client, world):
    late = CommuneFactory(code="C9", parent=world.district)
    response = province_admin_client.post(reverse("admin:parindex_evaluationyear_changelist"), {
        "action": "open_years", "_selected_action": [world.year.pk]}, follow=True)
    assert "đã tạo 1 bản đánh giá mới" in response.content.decode()
    assert Assessment.objects.filter(year=world.year, unit=late).exists()
    assert EvaluationYear.objects.get(pk=world.year.pk).opened_at is not None


def test_the_assessment_status_cannot_be_changed_in_the_admin(root_client, world):
    url = reverse("admin:parindex_assessment_change", args=[world.assessment_a.pk])
    html = root_client.get(url).content.decode()
    assert 'name="status"' not in html and "Đang tự đánh giá" in html
    response = root_client.post(url, {"status": AssessmentStatus.PUBLISHED, "strengths": "Tốt",
                                      "item_scores_basis": "items",
                                      "scores-TOTAL_FORMS": 0, "scores-INITIAL_FORMS": 0,
                                      "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0})
    assert response.status_code == 302
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.strengths == "Tốt"  # the save went through ...
    assert world.assessment_a.status == AssessmentStatus.DRAFT  # ... without touching the status
    assert root_client.get(reverse("admin:parindex_assessment_add")).status_code == 403


def test_every_parindex_model_is_registered_with_a_working_changelist(root_client, world):
    from parindex import models as m

    for model in (m.CriteriaSet, m.Item, m.EvaluationYear, m.Assessment, m.Score, m.EvidenceFile, m.Evidence,
                  m.Document, m.PlanTask, m.Meeting, m.ServiceFigures, m.ApprovalEvent, m.LockException):
        assert model in django_admin.site._registry, model
        opts = model._meta
        response = root_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, model
        assert opts.verbose_name_plural.capitalize() in response.content.decode() or \
            opts.verbose_name_plural in response.content.decode()


@pytest.mark.parametrize("factory, model", [(DocumentFactory, "document"), (MeetingFactory, "meeting")])
def test_what_proves_a_published_result_cannot_be_changed_or_deleted_in_the_admin(root_client, world, factory,
                                                                                  model):
    row = factory(assessment=world.assessment_a)
    change = reverse(f"admin:parindex_{model}_change", args=[row.pk])
    delete = reverse(f"admin:parindex_{model}_delete", args=[row.pk])
    assert root_client.get(delete).status_code == 200
    Assessment.objects.filter(pk=world.assessment_a.pk).update(status=AssessmentStatus.PUBLISHED)
    assert root_client.get(delete).status_code == 403
    assert root_client.post(delete, {"post": "yes"}).status_code == 403
    page = root_client.get(change).content.decode()
    assert 'name="_save"' not in page
    assert type(row).objects.filter(pk=row.pk).exists()
