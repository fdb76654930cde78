"""Editing one line of the draft (history kept by django-simple-history)."""

from django.urls import reverse

from parindex.services.remedy import remedy_plan_accept


def url(plan):
    return reverse("remedy_line_edit", args=[plan.lines.order_by("order").first().pk])


DATA = {"content": "Ban hành kế hoạch CCHC năm 2025 trước ngày 31/12/2024.", "lead": "Chủ tịch UBND xã",
        "deadline": "2024-12-31", "expected_output": "Quyết định ban hành kế hoạch"}


def test_it_saves_the_owners_edit_and_keeps_the_history(client, plan, approved):
    client.force_login(approved.officer_a)
    assert client.get(url(plan)).status_code == 200
    assert client.post(url(plan), DATA).status_code == 302
    line = plan.lines.order_by("order").first()
    assert (line.content, line.lead) == (DATA["content"], "Chủ tịch UBND xã")
    assert line.item.code == "1.1"  # the weak item it came from stays
    assert [h.content for h in line.history.order_by("history_date")][-1] == DATA["content"]
    assert line.history.count() == 2


def test_it_refuses_an_edit_after_acceptance(client, plan, approved):
    remedy_plan_accept(plan=plan, actor=approved.officer_a)
    client.force_login(approved.officer_a)
    response = client.post(url(plan), DATA, follow=True)
    assert "Kế hoạch đã được chấp nhận nên không sửa được nữa." in response.content.decode()
    assert plan.lines.order_by("order").first().content != DATA["content"]


def test_it_rejects_a_member(client, plan, approved):
    client.force_login(approved.appraiser)
    assert client.post(url(plan), DATA).status_code == 403


def test_it_hides_the_line_from_an_outsider(client, plan, approved):
    client.force_login(approved.officer_b)
    assert client.get(url(plan)).status_code == 404
