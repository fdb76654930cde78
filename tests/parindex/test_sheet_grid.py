"""The compact grid view of the score sheet and the appraisal sheet (?view=grid): one row per leaf
with the cards' own field names, server-side filters with their counts, the top error list linking
each failing item, and the appraiser's round-2 list and "Trả lại" count."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.models import AssessmentStatus, Evidence, Score
from parindex.selectors.sheet import score_signature_of
from tests.factories import DocumentFactory
from tests.parindex.workflow_states import drive, flag_first

S = AssessmentStatus


def sheet_url(assessment, query=""):
    return reverse("score_sheet", args=[assessment.pk]) + query


def appraisal_url(assessment, query=""):
    return reverse("appraisal_sheet", args=[assessment.pk]) + query


def scores_of(assessment):
    return list(Score.objects.filter(assessment=assessment).select_related("item").order_by("item__sort_key"))


def rows_of(html):
    """{item code: the row's opening tag} of the grid."""
    return {m.group(2): m.group(0) for m in re.finditer(r'<tr id="(item|leaf)-[^"]*"[^>]*data-code="([^"]+)"[^>]*>',
                                                        html, re.S)}


def count_of(html, key):
    match = re.search(rf'data-grid-count="{key}">(\d+)<', html)
    return int(match.group(1))


def visible_codes(html):
    return {code for code, tag in rows_of(html).items() if not re.search(r"\shidden>?$|\shidden\s", tag)}


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def score(assessment, self_score=None, note="", index=0):
    s = scores_of(assessment)[index]
    Score.objects.filter(pk=s.pk).update(self_score=self_score, self_note=note)
    s.refresh_from_db()
    return s


# --- the score sheet ----------------------------------------------------------------------------

def test_owner_sees_one_grid_row_per_leaf_with_the_cards_field_names(officer, world):
    html = officer.get(sheet_url(world.assessment_a, "?view=grid")).content.decode()
    leaves = scores_of(world.assessment_a)
    assert set(rows_of(html)) == {s.item.code for s in leaves}
    for s in leaves:
        for name in ("score", "ver", "orig", "note"):
            assert f'name="s-{s.id}-{name}"' in html
        assert f'data-autosave-item="{s.id}"' in html
    assert 'class="sheet-leaf' not in html  # the cards are not rendered beside it
    assert 'aria-current="page" data-view-link="grid"' in html
    assert '<input type="hidden" name="view" value="grid">' in html


def test_without_view_the_cards_are_shown_with_a_link_to_the_grid(officer, world):
    html = officer.get(sheet_url(world.assessment_a)).content.decode()
    assert 'class="sheet-leaf' in html
    assert "?view=grid" in html and "Dạng bảng" in html
    assert "data-grid-row" not in html


def test_filter_counts_and_the_chosen_filter_hides_the_other_rows(officer, world):
    a = world.assessment_a
    scored = score(a, Decimal("1"), index=0)  # above 0, no evidence
    with_file = score(a, Decimal("1"), index=1)
    Evidence.objects.create(score=with_file, document=DocumentFactory(assessment=a), locator="trang 1")
    total = len(scores_of(a))
    html = officer.get(sheet_url(a, "?view=grid")).content.decode()
    assert count_of(html, "chua-cham") == total - 2
    assert count_of(html, "thieu-minh-chung") == 1
    assert count_of(html, "co-loi") == 0
    assert count_of(html, "giai-trinh") == 0
    assert visible_codes(html) == set(rows_of(html))

    html = officer.get(sheet_url(a, "?view=grid&loc=thieu-minh-chung")).content.decode()
    assert visible_codes(html) == {scored.item.code}
    assert 'data-grid-filter="thieu-minh-chung" aria-current="true"' in html
    html = officer.get(sheet_url(a, "?view=grid&loc=chua-cham")).content.decode()
    assert scored.item.code not in visible_codes(html) and with_file.item.code not in visible_codes(html)
    assert len(visible_codes(html)) == total - 2


def test_an_unknown_filter_shows_every_row(officer, world):
    html = officer.get(sheet_url(world.assessment_a, "?view=grid&loc=<script>")).content.decode()
    assert visible_codes(html) == set(rows_of(html))
    assert "&lt;script" not in html


def test_a_save_from_the_grid_keeps_the_note_and_returns_to_the_grid_and_its_filter(officer, world):
    a = world.assessment_a
    s = score(a, None, note="Thuyết minh đã lưu")
    # What the grid posts for one row: its hidden note travels with the score.
    data = {f"s-{s.id}-score": "1,5", f"s-{s.id}-note": s.self_note, f"s-{s.id}-ver": str(s.version),
            f"s-{s.id}-orig": score_signature_of(s), "view": "grid", "loc": "chua-cham"}
    response = officer.post(sheet_url(a), data)
    assert response.status_code == 302
    assert response["Location"].endswith("?view=grid&loc=chua-cham")
    s.refresh_from_db()
    assert s.self_score == Decimal("1.5") and s.self_note == "Thuyết minh đã lưu"


def test_a_refused_save_lists_every_failing_item_as_a_link_in_both_views(officer, world):
    a = world.assessment_a
    first, second = scores_of(a)[:2]
    data = {}
    for s, typed in ((first, "999"), (second, "-1")):
        data.update({f"s-{s.id}-score": typed, f"s-{s.id}-note": "", f"s-{s.id}-ver": str(s.version),
                     f"s-{s.id}-orig": score_signature_of(s)})
    for view in ("", "grid"):
        html = officer.post(sheet_url(a), {**data, "view": view}).content.decode()
        errors = html[html.index('id="errors"'):html.index("</ul>", html.index('id="errors"'))]
        assert f'href="#item-{first.item.code}" data-error-link>{first.item.code}</a>: ' in errors
        assert f'href="#item-{second.item.code}" data-error-link>{second.item.code}</a>: ' in errors
        assert "vượt điểm tối đa" in errors and "không được âm" in errors
        assert f'id="item-{first.item.code}"' in html
    # In the grid the failing rows count under "Có lỗi" and keep what was typed.
    assert count_of(html, "co-loi") == 2
    assert 'value="999"' in html


def test_grid_hides_appraisal_scores_from_the_commune_until_the_result_is_approved(client, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    client.force_login(world.officer_a)
    html = client.get(sheet_url(a, "?view=grid")).content.decode()
    assert "2,00 / —" not in html and "2,00 / " not in html


def test_a_member_without_edit_rights_sees_the_grid_read_only(client, world):
    client.force_login(world.appraiser)
    html = client.get(sheet_url(world.assessment_a, "?view=grid")).content.decode()
    assert "data-grid-row" in html
    assert 'name="s-' not in html and "data-autosave-item" not in html


def test_outsider_gets_404_for_the_grid(client, world):
    client.force_login(world.officer_b)
    assert client.get(sheet_url(world.assessment_a, "?view=grid")).status_code == 404
    assert client.get(appraisal_url(world.assessment_a, "?view=grid")).status_code == 404


# --- the appraisal sheet ------------------------------------------------------------------------

@pytest.fixture
def appraiser(client, world):
    client.force_login(world.appraiser)
    return client


def test_appraisal_grid_in_round_1_carries_score_flag_and_request_of_each_leaf(appraiser, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    html = appraiser.get(appraisal_url(a, "?view=grid")).content.decode()
    for s in scores_of(a):
        for name in ("present", "version", "appraised_score", "flagged", "flag_comment"):
            assert f'name="s-{s.id}-{name}"' in html
        assert f'data-autosave-item="{s.id}"' in html
    assert 'name="s-' in html and "-appraisal_comment" not in html  # comments stay in the cards


def test_appraisal_grid_save_keeps_flags_comments_and_the_view(appraiser, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    a, flagged = flag_first(a, world.appraiser)
    Score.objects.filter(pk=flagged.pk).update(appraisal_comment="Nhận xét giữ nguyên")
    flagged.refresh_from_db()
    data = {"version": str(a.version), "view": "grid", "loc": "giai-trinh",
            f"s-{flagged.id}-present": "1", f"s-{flagged.id}-version": str(flagged.version),
            f"s-{flagged.id}-appraised_score": "0,5", f"s-{flagged.id}-flagged": "1",
            f"s-{flagged.id}-flag_comment": flagged.flag_comment}
    response = appraiser.post(appraisal_url(a), data)
    assert response.status_code == 302 and response["Location"].endswith("?view=grid&loc=giai-trinh")
    flagged.refresh_from_db()
    assert flagged.appraised_score == Decimal("0.5")
    assert flagged.flagged and flagged.appraisal_comment == "Nhận xét giữ nguyên"


def test_flagged_filter_round_2_list_and_the_return_confirmation_count(appraiser, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    a, flagged = flag_first(a, world.appraiser)
    html = appraiser.get(appraisal_url(a, "?view=grid&loc=giai-trinh")).content.decode()
    assert count_of(html, "giai-trinh") == 1
    assert visible_codes(html) == {flagged.item.code}
    assert "Trả lại 1 mục để xã giải trình?" in html
    assert 'data-confirm-template="Trả lại {n} mục để xã giải trình?' in html
    panel = html[html.index('id="round2-list"'):html.index("</section>", html.index('id="round2-list"'))]
    assert f'href="#leaf-{flagged.id}" data-item-link>{flagged.item.code}</a>' in panel
    assert "chưa trả lại" in panel


def test_round_2_list_shows_the_communes_explanation_and_the_round_2_filter(appraiser, world):
    a = drive(world.assessment_a, S.EXPLAINED, officer=world.officer_a, appraiser=world.appraiser)
    html = appraiser.get(appraisal_url(a, "?view=grid")).content.decode()
    panel = html[html.index('id="round2-list"'):html.index("</section>", html.index('id="round2-list"'))]
    assert "đã giải trình" in panel
    assert count_of(html, "vong-2") == 1
    flagged = Score.objects.get(assessment=a, flagged=True)
    assert f'name="s-{flagged.id}-round2_score"' in html


def test_a_refused_appraisal_save_lists_the_failing_items(appraiser, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    s = scores_of(a)[0]
    data = {"version": str(a.version), "view": "grid", f"s-{s.id}-present": "1",
            f"s-{s.id}-version": str(s.version), f"s-{s.id}-appraised_score": "999"}
    response = appraiser.post(appraisal_url(a), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="#leaf-{s.id}" data-error-link>{s.item.code}</a>: ' in html
    assert count_of(html, "co-loi") == 1


def test_viewer_sees_the_appraisal_grid_without_inputs(client, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    client.force_login(world.viewer)
    response = client.get(appraisal_url(a, "?view=grid"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-grid-row" in html and 'name="s-' not in html


def test_a_workflow_button_pressed_in_the_grid_returns_to_the_grid(appraiser, world):
    a = drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)
    a, _ = flag_first(a, world.appraiser)
    response = appraiser.post(reverse("appraisal_transition", args=[a.pk, "return"]),
                              {"view": "grid", "loc": "giai-trinh"})
    assert response.status_code == 302 and response["Location"].endswith("?view=grid&loc=giai-trinh")
    a.refresh_from_db()
    assert a.status == S.RETURNED
