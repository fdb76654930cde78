"""Dates typed and shown dd/mm/yyyy whatever the browser's language (a text input, never
<input type=date>), with one Vietnamese message; file inputs rendered as the Vietnamese picker."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from parindex.forms.documents import DocumentForm
from parindex.forms.fields import DateField
from parindex.forms.plan import PlanDecisionForm, PlanTaskForm
from parindex.forms.remedy import RemedyLineForm, RemedyPlanHeaderForm
from parindex.forms.yearly import MeetingForm, ServiceFiguresForm
from parindex.views.council import CouncilDecisionForm
from parindex.views.publication import PublishForm
from reports.forms import ReportIssueForm, ServerSignForm

MESSAGE = "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy"


@pytest.mark.parametrize(("typed", "expected"), [
    ("29/12/2023", dt.date(2023, 12, 29)),
    ("5/3/2025", dt.date(2025, 3, 5)),
    (" 05/03/2025 ", dt.date(2025, 3, 5)),
    ("05-03-2025", dt.date(2025, 3, 5)),
    ("2025-03-05", dt.date(2025, 3, 5)),  # pasted ISO
])
def test_a_date_is_read_day_first_and_iso_is_accepted(typed, expected):
    assert DateField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["12/29/2023", "31/02/2025", "2025/03/05", "5 tháng 3", "0005-03-05",
                                   "١٢/٠٣/٢٠٢٥", "29/12/23"])
def test_anything_else_gets_the_one_vietnamese_message(typed):
    field = DateField()
    with pytest.raises(Exception) as exc:
        field.clean(typed)
    assert exc.value.messages == [MESSAGE]


def test_the_input_is_a_text_field_shown_day_first():
    html = DateField().widget.render("d", dt.date(2025, 3, 5))
    assert 'type="text"' in html and 'value="05/03/2025"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html and "pattern=" in html
    assert 'type="date"' not in html


@pytest.mark.parametrize(("form_class", "names"), [
    (PlanDecisionForm, ["plan_date"]),
    (PlanTaskForm, ["deadline", "completed_on"]),
    (DocumentForm, ["issued_on"]),
    (MeetingForm, ["held_on"]),
    (ServiceFiguresForm, ["period_start", "period_end"]),
    (RemedyLineForm, ["deadline"]),
    (RemedyPlanHeaderForm, ["issued_on"]),
    (CouncilDecisionForm, ["review_date", "decision_date"]),
    (ReportIssueForm, ["issued_on"]),
    (ServerSignForm, ["issued_on"]),
])
def test_every_date_field_of_the_app_is_the_day_first_field(form_class, names):
    fields = form_class.base_fields
    for name in names:
        assert isinstance(fields[name], DateField), name
        assert fields[name].widget.input_type == "text", name


def test_publication_date_is_the_day_first_field():
    assert isinstance(PublishForm.base_fields["decision_date"], DateField)


def test_the_plan_page_shows_and_takes_dates_day_first(client, world):
    client.force_login(world.officer_a)
    url = reverse("plan_detail", args=[world.assessment_a.pk])
    assert client.post(url, {"plan_number": "193/QĐ-UBND", "plan_date": "29/12/2023"}).status_code == 302
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.plan_date == dt.date(2023, 12, 29)
    html = client.get(url).content.decode()
    assert re.search(r'<input type="text" name="plan_date" value="29/12/2023"[^>]*placeholder="dd/mm/yyyy"', html)


def test_a_month_first_date_is_refused_next_to_the_field_and_kept(client, world):
    client.force_login(world.officer_a)
    url = reverse("plan_detail", args=[world.assessment_a.pk])
    html = client.post(url, {"plan_number": "193/QĐ-UBND", "plan_date": "12/29/2023"}).content.decode()
    assert MESSAGE in html and 'value="12/29/2023"' in html
    world.assessment_a.refresh_from_db()
    assert world.assessment_a.plan_date is None


def test_the_document_form_has_the_vietnamese_file_picker(client, world):
    client.force_login(world.officer_a)
    html = client.get(reverse("document_create", args=[world.assessment_a.pk])).content.decode()
    picker = html[html.index("data-file-picker"):]
    assert 'type="file" name="upload"' in picker
    assert "Chọn tệp…" in picker and "Chưa chọn tệp" in picker
    assert re.search(r'<label class="[^"]*vn-file-button" for="id_upload"', picker)


def test_the_score_sheet_evidence_input_is_the_vietnamese_picker(client, world):
    client.force_login(world.officer_a)
    html = client.get(reverse("score_sheet", args=[world.assessment_a.pk])).content.decode()
    score = world.assessment_a.scores.order_by("id").first()
    assert re.search(rf'<input type="file" class="vn-file-input" id="s-{score.id}-files" name="s-{score.id}-files"[^>]* multiple>',
                     html)
    assert f'for="s-{score.id}-files">' in html and "Chưa chọn tệp nào" in html
