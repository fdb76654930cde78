import datetime as dt

import pytest
from django.urls import reverse

from parindex.models import PlanTask, PlanTaskStatus
from parindex.selectors.plan import plan_completion
from parindex.services.workflow import assessment_submit
from tests.factories import PlanTaskFactory, fill_scores


def plan_url(world):
    return reverse("plan_detail", args=[world.assessment_a.pk])


def test_completion_of_57_out_of_58_is_98_28_percent(world):
    PlanTaskFactory.create_batch(57, assessment=world.assessment_a, status=PlanTaskStatus.DONE)
    PlanTaskFactory(assessment=world.assessment_a, status=PlanTaskStatus.NOT_DONE)
    completion = plan_completion(assessment=world.assessment_a)
    assert (completion.total, completion.done, completion.remaining) == (58, 57, 1)
    assert f"{completion.done_percent:.10f}" == "98.2758620690"
    assert f"{completion.not_done_percent:.10f}" == "1.7241379310"


def test_the_plan_page_shows_the_exact_rounded_figures(client, world):
    PlanTaskFactory.create_batch(57, assessment=world.assessment_a, status=PlanTaskStatus.DONE)
    PlanTaskFactory(assessment=world.assessment_a, status=PlanTaskStatus.NOT_DONE)
    client.force_login(world.appraiser)
    html = client.get(plan_url(world)).content.decode()
    assert "<strong>57/58</strong> nhiệm vụ = <strong>98,28%</strong>" in html
    assert "<strong>1/58</strong> nhiệm vụ = <strong>1,72%</strong>" in html


def test_no_tasks_means_no_percentage(world):
    assert plan_completion(assessment=world.assessment_a).done_percent is None


def test_officer_saves_the_plan_decision_normalised(client, world):
    client.force_login(world.officer_a)
    response = client.post(plan_url(world), {"plan_number": "193/qđ-ubnd", "plan_date": "2023-12-29"})
    assert response.status_code == 302
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.plan_number == "193/QĐ-UBND"
    assert world.assessment_a.plan_date == dt.date(2023, 12, 29)


def test_a_bad_plan_number_is_refused_next_to_the_field_and_kept(client, world):
    client.force_login(world.officer_a)
    response = client.post(plan_url(world), {"plan_number": "193/BC-UBND", "plan_date": "29/12/2023"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "không khớp loại văn bản Quyết định" in html
    assert 'value="193/BC-UBND"' in html
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.plan_number == ""


def test_a_plan_number_needs_a_date(client, world):
    client.force_login(world.officer_a)
    html = client.post(plan_url(world), {"plan_number": "12/KH-UBND", "plan_date": ""}).content.decode()
    assert "Nhập ngày ban hành kế hoạch." in html


def test_officer_adds_edits_and_deletes_a_task(client, world):
    client.force_login(world.officer_a)
    area = world.year.criteria_set.items.get(code="1")
    response = client.post(reverse("plan_task_create", args=[world.assessment_a.pk]), {
        "content": "Ban hành kế hoạch tuyên truyền CCHC", "area": area.pk, "lead": "Văn phòng - Thống kê",
        "deadline": "2024-03-31", "status": "done", "completed_on": "2024-03-20", "result_document": "12/KH-UBND",
    })
    assert response.status_code == 302
    task = PlanTask.objects.get()
    assert (task.order, task.area, task.status) == (1, area, "done")
    client.post(reverse("plan_task_edit", args=[task.pk]), {
        "order": 1, "content": "Ban hành kế hoạch tuyên truyền CCHC năm 2024", "status": "in_progress",
        "completed_on": "",
    })
    task.refresh_from_db()
    assert task.status == "in_progress" and task.content.endswith("2024")
    client.post(reverse("plan_task_delete", args=[task.pk]))
    assert not PlanTask.objects.exists()


def test_a_completion_date_on_an_unfinished_task_is_refused_in_vietnamese(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("plan_task_create", args=[world.assessment_a.pk]), {
        "content": "Rà soát thủ tục", "status": "in_progress", "completed_on": "2024-03-20",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chỉ nhập ngày hoàn thành khi nhiệm vụ đã hoàn thành." in html
    assert "Rà soát thủ tục</textarea>" in html
    assert not PlanTask.objects.exists()


def test_an_area_of_another_set_is_not_offered(client, world):
    from tests.factories import build_criteria_set

    other_area = build_criteria_set().items.get(code="1")
    client.force_login(world.officer_a)
    response = client.post(reverse("plan_task_create", args=[world.assessment_a.pk]),
                           {"content": "X", "status": "not_started", "area": other_area.pk})
    assert response.status_code == 200
    assert not PlanTask.objects.exists()


@pytest.mark.parametrize("name", ["plan_task_create", "plan_tasks_import"])
def test_appraiser_cannot_open_edit_pages(client, world, name):
    client.force_login(world.appraiser)
    assert client.get(reverse(name, args=[world.assessment_a.pk])).status_code == 403


def test_appraiser_cannot_post_the_plan_decision(client, world):
    client.force_login(world.appraiser)
    assert client.post(plan_url(world), {"plan_number": "1/QĐ-UBND"}).status_code == 403


def test_outsider_sees_nothing(client, world):
    task = PlanTaskFactory(assessment=world.assessment_a)
    client.force_login(world.officer_b)
    assert client.get(plan_url(world)).status_code == 404
    assert client.get(reverse("plan_task_edit", args=[task.pk])).status_code == 404
    assert client.post(reverse("plan_task_delete", args=[task.pk])).status_code == 404
    assert PlanTask.objects.exists()


def test_after_submission_the_plan_is_read_only_with_the_reason(client, world):
    fill_scores(world.assessment_a)
    assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    client.force_login(world.officer_a)
    html = client.get(plan_url(world)).content.decode()
    assert "Đã nộp lúc" in html
    assert "Thêm nhiệm vụ" not in html
    response = client.get(reverse("plan_task_create", args=[world.assessment_a.pk]), follow=True)
    assert "Không thể cập nhật: Đã nộp lúc" in response.content.decode()
