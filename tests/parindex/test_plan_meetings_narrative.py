from django.urls import reverse

from parindex.models import Meeting
from parindex.selectors.plan import meeting_counts
from tests.factories import MeetingFactory


def test_meeting_counts_include_every_kind(world):
    MeetingFactory.create_batch(2, assessment=world.assessment_a, kind="conference")
    MeetingFactory.create_batch(5, assessment=world.assessment_a, kind="regular")
    assert meeting_counts(assessment=world.assessment_a) == {"conference": 2, "regular": 5, "seminar": 0}


def test_meeting_list_shows_zero_padded_counts(client, world):
    MeetingFactory.create_batch(2, assessment=world.assessment_a, kind="conference")
    client.force_login(world.appraiser)
    html = client.get(reverse("meeting_list", args=[world.assessment_a.pk])).content.decode()
    assert "Hội nghị: <strong>02</strong>" in html


def test_officer_adds_edits_and_deletes_a_meeting(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("meeting_create", args=[world.assessment_a.pk]), {
        "kind": "conference", "held_on": "2024-07-15", "title": "Sơ kết CCHC 6 tháng đầu năm 2024",
        "document": "Kế hoạch số 74/KH-UBND",
    })
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    client.post(reverse("meeting_edit", args=[meeting.pk]),
                {"kind": "seminar", "held_on": "15/07/2024", "title": "Tọa đàm CCHC, chuyển đổi số"})
    meeting.refresh_from_db()
    assert meeting.kind == "seminar" and meeting.title == "Tọa đàm CCHC, chuyển đổi số"
    client.post(reverse("meeting_delete", args=[meeting.pk]))
    assert not Meeting.objects.exists()


def test_a_meeting_without_date_keeps_the_typed_title(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("meeting_create", args=[world.assessment_a.pk]),
                           {"kind": "regular", "held_on": "", "title": "Phiên họp thường kỳ tháng 3"})
    assert response.status_code == 200
    assert 'value="Phiên họp thường kỳ tháng 3"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_meetings_of_another_commune_are_hidden(client, world):
    meeting = MeetingFactory(assessment=world.assessment_a)
    client.force_login(world.officer_b)
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 404
    client.force_login(world.appraiser)
    assert client.get(reverse("meeting_edit", args=[meeting.pk])).status_code == 403


def test_officer_writes_the_narrative(client, world):
    client.force_login(world.officer_a)
    url = reverse("narrative_edit", args=[world.assessment_a.pk])
    client.post(url, {"strengths": "Hoàn thành 57/58 nhiệm vụ.", "weaknesses": "Thiếu máy lấy số tự động.",
                      "proposals": ""})
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.strengths == "Hoàn thành 57/58 nhiệm vụ."
    assert world.assessment_a.weaknesses == "Thiếu máy lấy số tự động."
    client.force_login(world.appraiser)
    html = client.get(url).content.decode()
    assert "Thiếu máy lấy số tự động." in html and "<textarea" not in html
    assert client.post(url, {"strengths": "x"}).status_code == 403
