"""The appraisal sheet: the save service (validation, rounds, flags, caps, concurrency, locks, history)
and the page (personas, typed values kept, buttons, history panel)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.models import AssessmentStatus, Item, Score
from parindex.services.appraisal import AppraisalSheetError, appraisal_sheet_save
from tests.factories import PASSWORD
from tests.parindex.versions import versioned
from tests.parindex.workflow_states import drive

S = AssessmentStatus


def _in_appraisal(world):
    """In appraisal, every leaf appraised at its maximum (2 points for the leaves of area 1)."""
    return drive(world.assessment_a, S.IN_APPRAISAL, officer=world.officer_a, appraiser=world.appraiser)


def _start(world):
    from parindex.services.workflow import assessment_start_appraisal

    a = type(world.assessment_a).objects.get(pk=world.assessment_a.pk)
    return assessment_start_appraisal(assessment=a, actor=world.appraiser)


def _score(a, code):
    return Score.objects.get(assessment=a, item__code=code)


def _save(a, actor, scores=None, **extra):
    values = {"scores": versioned(scores or {}), **extra}
    return appraisal_sheet_save(assessment=a, actor=actor, values=values, expected_version=a.version)


# --- the service ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["1,5", "1.5", " 1,50 "])
def test_it_accepts_comma_and_dot_decimals(world, typed):
    a = _in_appraisal(world)
    s = _score(a, "1.1")
    _save(a, world.appraiser, {s.id: {"appraised_score": typed}})
    s.refresh_from_db()
    assert s.appraised_score == Decimal("1.5")


@pytest.mark.parametrize(("typed", "message"), [
    ("2,01", "Điểm thẩm định 2,01 vượt điểm tối đa 2."),
    ("-1", "Điểm thẩm định -1 không được âm."),
    ("1,255", "Điểm thẩm định 1,255 có quá 2 chữ số thập phân."),
    ("1,2,3", "không phải là số"),
    ("abc", "không phải là số"),
])
def test_it_rejects_bad_scores_per_field_and_saves_nothing(world, typed, message):
    a = _in_appraisal(world)
    good, bad = _score(a, "1.2"), _score(a, "1.1")
    with pytest.raises(AppraisalSheetError) as refused:
        _save(a, world.appraiser, {good.id: {"appraised_score": "1"}, bad.id: {"appraised_score": typed}})
    assert message in refused.value.field_errors[(bad.id, "appraised_score")]
    assert list(refused.value.field_errors) == [(bad.id, "appraised_score")]
    good.refresh_from_db()
    assert good.appraised_score == Decimal("2.00")  # unchanged from drive(): all or nothing
    a.refresh_from_db()
    assert a.version == _in_version(a)


def _in_version(a):
    return type(a).objects.values_list("version", flat=True).get(pk=a.pk)


def test_a_flag_needs_a_comment(world):
    a = _in_appraisal(world)
    s = _score(a, "1.1")
    with pytest.raises(AppraisalSheetError) as refused:
        _save(a, world.appraiser, {s.id: {"flagged": True, "flag_comment": "  "}})
    assert "Nêu nội dung yêu cầu" in refused.value.field_errors[(s.id, "flag_comment")]
    _save(a, world.appraiser, {s.id: {"flagged": True, "flag_comment": "Thiếu biên bản"}})
    s.refresh_from_db()
    assert s.flagged and s.flag_comment == "Thiếu biên bản"


def test_accepting_an_item_copies_the_self_score(world):
    a = drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser,
              self_share=Decimal("0.5"))
    a = _start(world)
    s = _score(a, "2.1")
    _save(a, world.appraiser, {s.id: {"accept": True, "appraised_score": "0"}})
    s.refresh_from_db()
    assert s.appraised_score == s.self_score == Decimal("1.00")


def test_round_two_edits_only_flagged_items_and_keeps_round_one(world):
    a = drive(world.assessment_a, S.EXPLAINED, officer=world.officer_a, appraiser=world.appraiser,
              appraised_share=Decimal("0.5"))
    flagged = Score.objects.get(assessment=a, flagged=True)
    other = Score.objects.filter(assessment=a, flagged=False).first()
    with pytest.raises(AppraisalSheetError) as refused:
        _save(a, world.appraiser, {other.id: {"round2_score": "0"}})
    assert "chỉ chấm lại các tiêu chí đã yêu cầu giải trình" in refused.value.field_errors[(other.id, "round2_score")]
    _save(a, world.appraiser, {flagged.id: {"round2_score": "2", "round2_comment": "Đã có quyết định"}})
    flagged.refresh_from_db()
    assert flagged.appraised_score == Decimal("1.00") and flagged.round2_score == Decimal("2")
    assert flagged.final_score == Decimal("2")


def test_round_one_fields_are_ignored_in_round_two(world):
    a = drive(world.assessment_a, S.EXPLAINED, officer=world.officer_a, appraiser=world.appraiser)
    flagged = Score.objects.get(assessment=a, flagged=True)
    _save(a, world.appraiser, {flagged.id: {"appraised_score": "0", "flagged": False}})
    flagged.refresh_from_db()
    assert flagged.appraised_score == Decimal("2.00") and flagged.flagged


def test_a_stale_version_saves_nothing(world):
    a = _in_appraisal(world)
    s = _score(a, "1.1")
    stale_version = s.version
    _save(a, world.appraiser, {s.id: {"appraised_score": "1"}})
    with pytest.raises(AppraisalSheetError) as refused:
        appraisal_sheet_save(assessment=a, actor=world.admin,
                             values={"scores": {s.id: {"appraised_score": "0,5", "version": stale_version}}})
    assert refused.value.conflict and "người khác" in refused.value.message
    [conflict] = refused.value.conflicts
    assert conflict.theirs == {"appraised_score": Decimal("1")} and conflict.yours == {"appraised_score": Decimal("0.5")}
    assert conflict.by == world.appraiser and conflict.version == stale_version + 1
    s.refresh_from_db()
    assert s.appraised_score == Decimal("1")


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPRAISED, S.APPROVED, S.PUBLISHED])
def test_the_sheet_is_locked_outside_appraisal(world, state):
    a = drive(world.assessment_a, state, officer=world.officer_a, appraiser=world.appraiser, admin=world.admin)
    s = _score(a, "1.1")
    before = s.appraised_score
    with pytest.raises(AppraisalSheetError, match="Không thể lưu"):
        _save(a, world.appraiser, {s.id: {"appraised_score": "0"}})
    s.refresh_from_db()
    assert s.appraised_score == before


def test_published_results_are_frozen_for_every_service(world):
    from parindex.services.scores import score_sheet_save

    a = drive(world.assessment_a, S.PUBLISHED, officer=world.officer_a, appraiser=world.appraiser, admin=world.admin)
    s = _score(a, "1.1")
    with pytest.raises(AppraisalSheetError, match="công bố"):
        _save(a, world.admin, {s.id: {"appraised_score": "0"}}, bonus_points="0")
    result = None
    try:
        result = score_sheet_save(assessment=a, actor=world.officer_a, values=versioned({s.id: {"self_score": "0", "self_note": "sửa"}}))
    except Exception as exc:  # the score sheet refuses by exception or by result, both are a refusal
        assert "công bố" in str(getattr(exc, "message", exc))
    else:
        assert not result.saved
    s.refresh_from_db()
    assert s.self_score == Decimal("2.00") and s.appraised_score == Decimal("2.00")


def test_the_sheet_is_locked_after_the_appraisal_deadline(world):
    a = _in_appraisal(world)
    world.year.appraisal_round1_deadline = timezone.now() - dt.timedelta(minutes=5)
    world.year.save()
    a.refresh_from_db()
    s = _score(a, "1.1")
    with pytest.raises(AppraisalSheetError, match="hết hạn thẩm định vòng 1"):
        _save(a, world.appraiser, {s.id: {"appraised_score": "0"}})


@pytest.mark.parametrize("role", ["officer_a", "viewer", "other_appraiser"])
def test_only_appraisers_and_admins_save(world, role):
    a = _in_appraisal(world)
    s = _score(a, "1.1")
    with pytest.raises(AppraisalSheetError, match="không có quyền"):
        _save(a, getattr(world, role), {s.id: {"appraised_score": "0"}})


def test_bonus_and_penalty_stay_within_the_caps(world):
    criteria_set = world.year.criteria_set
    criteria_set.bonus_cap, criteria_set.penalty_cap = Decimal("2"), Decimal("1.5")
    criteria_set.save()
    a = _in_appraisal(world)
    with pytest.raises(AppraisalSheetError) as refused:
        _save(a, world.appraiser, bonus_points="2,5", penalty_points="1,6")
    assert refused.value.field_errors == {"bonus_points": "Điểm thưởng 2,5 vượt điểm tối đa 2.",
                                          "penalty_points": "Điểm trừ 1,6 vượt điểm tối đa 1,5."}
    a = _save(a, world.appraiser, bonus_points="2", penalty_points="1,5").assessment
    assert (a.bonus_points, a.penalty_points) == (Decimal("2"), Decimal("1.5"))


def test_bonus_is_refused_where_the_set_has_none(world):
    a = _in_appraisal(world)
    with pytest.raises(AppraisalSheetError) as refused:
        _save(a, world.appraiser, bonus_points="1")
    assert "không có điểm thưởng" in refused.value.field_errors["bonus_points"]


def test_every_change_is_kept_in_the_history(world):
    from parindex.selectors.appraisal import score_history

    a = _in_appraisal(world)
    s = _score(a, "1.1")
    a = _save(a, world.appraiser, {s.id: {"appraised_score": "1,25"}}).assessment
    a = _save(a, world.admin, {s.id: {"appraised_score": "1,5"}}).assessment
    changes = [c for c in score_history(assessment=a) if c.item_code == "1.1" and c.label.endswith("vòng 1")]
    assert [(c.old, c.new, c.user) for c in changes[:3]] == [
        (Decimal("1.25"), Decimal("1.50"), world.admin),
        (Decimal("2.00"), Decimal("1.25"), world.appraiser),
        (None, Decimal("2.00"), world.appraiser),
    ]


def test_unchanged_values_write_no_history(world):
    a = _in_appraisal(world)
    s = _score(a, "1.1")
    count = s.history.count()
    _save(a, world.appraiser, {s.id: {"appraised_score": "2"}})
    assert s.history.count() == count


# --- the page ---------------------------------------------------------------------------------------

def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_page_shows_each_leaf_side_by_side(world, client):
    a = _in_appraisal(world)
    s = _score(a, "1.1")
    Score.objects.filter(pk=s.pk).update(self_note="Đã ban hành kế hoạch số 193")
    _login(client, world.appraiser)
    page = client.get(reverse("appraisal_sheet", args=[a.pk])).content.decode()
    assert "Đã ban hành kế hoạch số 193" in page
    assert f'name="s-{s.id}-appraised_score" value="2"' in page
    assert f'name="s-{s.id}-flagged"' in page
    assert "Lịch sử xử lý" in page and "Bắt đầu thẩm định" in page
    assert reverse("appraisal_transition", args=[a.pk, "complete"]) in page


def test_it_keeps_what_was_typed_when_a_value_is_refused(world, client):
    a = _in_appraisal(world)
    s1, s2 = _score(a, "1.1"), _score(a, "1.2")
    _login(client, world.appraiser)
    response = client.post(reverse("appraisal_sheet", args=[a.pk]), {
        "version": a.version, f"s-{s1.id}-version": s1.version, f"s-{s2.id}-version": s2.version,
        f"s-{s1.id}-present": "1", f"s-{s1.id}-appraised_score": "9", f"s-{s1.id}-appraisal_comment": "Quá điểm",
        f"s-{s2.id}-present": "1", f"s-{s2.id}-appraised_score": "1,75", f"s-{s2.id}-flagged": "1",
        f"s-{s2.id}-flag_comment": "Bổ sung biên bản",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Điểm thẩm định 9 vượt điểm tối đa 2." in page
    assert 'value="9"' in page and "Quá điểm" in page and 'value="1,75"' in page and "Bổ sung biên bản" in page
    s2.refresh_from_db()
    assert s2.appraised_score == Decimal("2.00") and not s2.flagged


def test_saving_from_the_page_and_accepting_an_area(world, client):
    a = drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser,
              self_share=Decimal("0.5"))
    a = _start(world)
    area = Item.objects.get(criteria_set=a.year.criteria_set, code="2")
    s11 = _score(a, "1.1")
    _login(client, world.appraiser)
    post = {"version": a.version, "accept_area": str(area.id)}
    for s in Score.objects.filter(assessment=a):
        post[f"s-{s.id}-present"] = "1"
        post[f"s-{s.id}-version"] = s.version
        post[f"s-{s.id}-appraised_score"] = ""
    post[f"s-{s11.id}-appraised_score"] = "0,5"
    response = client.post(reverse("appraisal_sheet", args=[a.pk]), post)
    assert response.status_code == 302
    area_scores = Score.objects.filter(assessment=a, item__area=area)
    assert all(s.appraised_score == s.self_score for s in area_scores)
    s11.refresh_from_db()
    assert s11.appraised_score == Decimal("0.5")


def test_a_conflicting_save_shows_what_someone_else_saved(world, client):
    a = _in_appraisal(world)
    s = _score(a, "1.1")
    stale = s.version
    _save(a, world.admin, {s.id: {"appraised_score": "0,25"}})
    _login(client, world.appraiser)
    response = client.post(reverse("appraisal_sheet", args=[a.pk]), {
        "version": a.version, f"s-{s.id}-version": stale, f"s-{s.id}-present": "1", f"s-{s.id}-appraised_score": "1,5",
    })
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="1,5"' in page and "Người khác vừa lưu: 0,25" in page
    assert "điểm: 0,25 điểm" in page and "điểm: 1,5 điểm" in page  # theirs and yours, with a choice
    assert f'name="s-{s.id}-keep" value="theirs"' in page and f'name="s-{s.id}-version" value="{stale + 1}"' in page


def test_a_locked_sheet_says_why(world, client):
    a = drive(world.assessment_a, S.SUBMITTED, officer=world.officer_a, appraiser=world.appraiser)
    _login(client, world.appraiser)
    page = client.get(reverse("appraisal_sheet", args=[a.pk])).content.decode()
    assert "Không sửa được điểm thẩm định" in page and "chưa bắt đầu thẩm định" in page
    # A vendored SVG icon, not an emoji that Debian's chromium draws as an empty box.
    assert "vendor/bootstrap-icons-1.13.2/lock-fill.svg" in page and "🔒" not in page
    assert "Lưu điểm thẩm định" not in page


def test_viewers_read_the_sheet_without_buttons(world, client):
    a = _in_appraisal(world)
    _login(client, world.viewer)
    response = client.get(reverse("appraisal_sheet", args=[a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lưu điểm thẩm định" not in page and "Hoàn thành thẩm định" not in page
    assert client.post(reverse("appraisal_sheet", args=[a.pk]), {"version": a.version}).status_code == 403


def test_transition_buttons_call_the_workflow_and_report_refusals(world, client):
    a = _in_appraisal(world)
    _login(client, world.appraiser)
    response = client.post(reverse("appraisal_transition", args=[a.pk, "return"]), follow=True)
    assert "Phải đánh dấu ít nhất một tiêu chí" in response.content.decode()
    response = client.post(reverse("appraisal_transition", args=[a.pk, "complete"]), {"comment": "Xong"}, follow=True)
    a.refresh_from_db()
    assert a.status == S.APPRAISED and a.events.latest("id").comment == "Xong"
    assert "Đã thực hiện" in response.content.decode()
    assert client.post(reverse("appraisal_transition", args=[a.pk, "publish"])).status_code == 404
    assert client.get(reverse("appraisal_transition", args=[a.pk, "approve"])).status_code == 405


def test_officer_of_the_commune_cannot_open_the_sheet(world, client):
    _login(client, world.officer_a)
    assert client.get(reverse("appraisal_sheet", args=[world.assessment_a.pk])).status_code == 403
    _login(client, world.other_appraiser)
    assert client.get(reverse("appraisal_sheet", args=[world.assessment_a.pk])).status_code == 404
