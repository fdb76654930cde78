"""Adding a line to the draft."""

from django.urls import reverse

DATA = {"content": "Số hóa hồ sơ lưu trữ của xã.", "lead": "Văn phòng - Thống kê", "deadline": "2025-06-30",
        "expected_output": "Báo cáo kết quả số hóa"}


def post(client, world, data):
    return client.post(reverse("remedy_line_add", args=[world.assessment_a.pk]), data)


def test_it_adds_the_owners_line_at_the_end(client, plan, approved):
    client.force_login(approved.officer_a)
    assert post(client, approved, DATA).status_code == 302
    last = plan.lines.order_by("-order").first()
    assert (last.order, last.content, last.item) == (3, DATA["content"], None)


def test_it_keeps_what_was_typed_when_the_content_is_missing(client, plan, approved):
    client.force_login(approved.officer_a)
    response = post(client, approved, {**DATA, "content": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Văn phòng - Thống kê" in html and "Báo cáo kết quả số hóa" in html
    assert plan.lines.count() == 2


def test_it_rejects_a_member(client, plan, approved):
    client.force_login(approved.appraiser)
    assert post(client, approved, DATA).status_code == 403
    assert plan.lines.count() == 2


def test_it_hides_the_plan_from_an_outsider(client, plan, approved):
    client.force_login(approved.officer_b)
    assert post(client, approved, DATA).status_code == 404
