"""The remedy plan page: the commune's officer sees its lines with edit actions; the appraiser reads
them; an outsider gets 404."""

from django.urls import reverse


def url(world):
    return reverse("remedy_plan", args=[world.assessment_a.pk])


def test_it_shows_the_owner_the_lines_with_actions(client, plan, approved):
    client.force_login(approved.officer_a)
    html = client.get(url(approved)).content.decode()
    assert "Ban hành kế hoạch CCHC năm đúng hạn." in html and "mất 1,00 điểm" in html
    assert reverse("remedy_line_edit", args=[plan.lines.first().pk]) in html
    assert "Chấp nhận kế hoạch" in html
    assert "Kỳ đánh giá năm 2025 chưa được mở" in html


def test_it_shows_a_member_the_lines_read_only(client, plan, approved):
    client.force_login(approved.appraiser)
    html = client.get(url(approved)).content.decode()
    assert "Ban hành kế hoạch CCHC năm đúng hạn." in html
    assert "Chấp nhận kế hoạch" not in html and "Sửa</a>" not in html


def test_it_hides_the_plan_from_an_outsider(client, plan, approved):
    client.force_login(approved.officer_b)
    assert client.get(url(approved)).status_code == 404


def test_it_says_why_there_is_no_plan_before_approval(client, world):
    client.force_login(world.officer_a)
    html = client.get(url(world)).content.decode()
    assert "chưa được phê duyệt: chưa lập được kế hoạch khắc phục" in html
    assert "Lập dự thảo" not in html
