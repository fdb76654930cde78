import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.models import Evidence, Score
from parindex.selectors.sheet import score_signature_of
from parindex.services.workflow import assessment_submit
from tests.factories import DocumentFactory, fill_scores

from .files import exe_bytes, pdf_bytes, upload


def sheet_url(assessment):
    return reverse("score_sheet", args=[assessment.pk])


def scores_of(assessment):
    return list(Score.objects.filter(assessment=assessment).select_related("item").order_by("item__sort_key"))


def post_data(assessment, overrides=None):
    """What the page posts: every score's current values, version and signature, with some fields changed."""
    data = {}
    for s in scores_of(assessment):
        data[f"s-{s.id}-ver"] = str(s.version)
        data[f"s-{s.id}-score"] = "" if s.self_score is None else str(s.self_score)
        data[f"s-{s.id}-note"] = s.self_note
        data[f"s-{s.id}-orig"] = score_signature_of(s)
        if s.not_applicable:
            data[f"s-{s.id}-na"] = "1"
    data.update(overrides or {})
    return data


def leaf(assessment, code):
    return Score.objects.get(assessment=assessment, item__code=code)


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def test_owner_sees_every_leaf_with_inputs_and_progress(officer, world):
    response = officer.get(sheet_url(world.assessment_a))
    assert response.status_code == 200
    html = response.content.decode()
    for s in scores_of(world.assessment_a):
        assert f'id="item-{s.item.code}"' in html
        assert f'name="s-{s.id}-score"' in html
    assert "Đã chấm <span data-progress-done>0</span>/7 tiêu chí" in html
    assert "Lưu nháp" in html


def test_not_applicable_checkbox_only_where_the_item_allows_it(officer, world):
    html = officer.get(sheet_url(world.assessment_a)).content.decode()
    allowed = leaf(world.assessment_a, "1.1")
    refused = leaf(world.assessment_a, "1.2")
    assert f'name="s-{allowed.id}-na"' in html
    assert f'name="s-{refused.id}-na"' not in html


def test_it_saves_comma_and_dot_decimals(officer, world):
    a = world.assessment_a
    s1, s2 = leaf(a, "1.1"), leaf(a, "2.1")
    response = officer.post(sheet_url(a), post_data(a, {f"s-{s1.id}-score": "1,5", f"s-{s2.id}-score": "1.25"}))
    assert response.status_code == 302
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert (s1.self_score, s2.self_score) == (Decimal("1.5"), Decimal("1.25"))
    assert (s1.version, s2.version) == (2, 2)
    assert leaf(a, "1.2").version == 1


@pytest.mark.parametrize("anchor, kept", [("#item-2.1", "#item-2.1"), ("//evil.example", ""), ("#x", "")])
def test_after_saving_it_returns_to_the_item_last_edited(officer, world, anchor, kept):
    a = world.assessment_a
    s1 = leaf(a, "2.1")
    response = officer.post(sheet_url(a), {**post_data(a, {f"s-{s1.id}-score": "1"}), "anchor": anchor})
    assert response.status_code == 302
    assert response["Location"] == sheet_url(a) + kept


def test_saved_message_carries_the_server_totals(officer, world):
    a = world.assessment_a
    s1 = leaf(a, "1.1")
    response = officer.post(sheet_url(a), post_data(a, {f"s-{s1.id}-score": "2"}), follow=True)
    assert "Tổng điểm tự đánh giá: 2,00/10,00 điểm (20,00%)" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Điểm tự đánh giá “abc” không phải là số."),
        ("-1", "Điểm tự đánh giá -1 không được âm."),
        ("1,255", "Điểm tự đánh giá 1,255 có quá 2 chữ số thập phân."),
        ("111,5", "Điểm tự đánh giá 111,5 vượt điểm tối đa 2."),
        ("1,2,3", "không phải là số"),
    ],
)
def test_it_shows_a_vietnamese_message_next_to_the_field(officer, world, typed, message):
    a = world.assessment_a
    s = leaf(a, "1.1")
    response = officer.post(sheet_url(a), post_data(a, {f"s-{s.id}-score": typed}))
    assert response.status_code == 200
    html = response.content.decode()
    msg = re.search(rf'id="s-{s.id}-score-msg"[^>]*>([^<]*)<', html).group(1)
    assert message in msg.replace("&ldquo;", "“").replace("&rdquo;", "”")


def test_it_rejects_score_above_max_with_the_seed_example(world):
    from parindex.services.scores import score_value_parse

    value, message = score_value_parse("111,5", max_points=Decimal("11.50"))
    assert value is None
    assert message == "Điểm tự đánh giá 111,5 vượt điểm tối đa 11,5."


def test_nothing_is_saved_and_nothing_typed_is_lost_on_any_error(officer, world):
    a = world.assessment_a
    good, bad, noted = leaf(a, "1.1"), leaf(a, "2.1"), leaf(a, "1.3.1")
    data = post_data(a, {
        f"s-{good.id}-score": "1,5",
        f"s-{bad.id}-score": "9",
        f"s-{noted.id}-note": "Đã ban hành Kế hoạch số 12/KH-UBND",
        f"s-{noted.id}-score": "0,5",
    })
    response = officer.post(sheet_url(a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="s-{good.id}-score" value="1,5"' in html
    assert f'name="s-{bad.id}-score" value="9"' in html
    assert "Đã ban hành Kế hoạch số 12/KH-UBND</textarea>" in html
    assert "có 1 lỗi" in html
    assert not Score.objects.filter(assessment=a, self_score__isnull=False).exists()
    assert not Score.objects.exclude(self_note="").exists()
    assert set(Score.objects.filter(assessment=a).values_list("version", flat=True)) == {1}


def test_not_applicable_clears_the_score_and_is_refused_where_not_allowed(officer, world):
    a = world.assessment_a
    allowed, refused = leaf(a, "1.1"), leaf(a, "1.2")
    response = officer.post(sheet_url(a), post_data(a, {f"s-{allowed.id}-na": "1", f"s-{allowed.id}-score": "1"}))
    assert response.status_code == 302
    allowed.refresh_from_db()
    assert allowed.not_applicable and allowed.self_score is None
    response = officer.post(sheet_url(a), post_data(a, {f"s-{refused.id}-na": "1"}))
    assert response.status_code == 200
    assert "không được chọn “không áp dụng”" in response.content.decode().replace("&ldquo;", "“").replace(
        "&rdquo;", "”")


def test_history_records_user_time_and_old_to_new(officer, client, world):
    a = world.assessment_a
    s = leaf(a, "1.1")
    officer.post(sheet_url(a), post_data(a, {f"s-{s.id}-score": "1"}))
    a.refresh_from_db()
    client.force_login(world.leader_a)
    client.post(sheet_url(a), post_data(a, {f"s-{s.id}-score": "1,75"}))
    records = list(s.history.order_by("history_date"))
    assert [(r.self_score, r.history_user) for r in records] == [
        (Decimal("1.00"), world.officer_a), (Decimal("1.75"), world.leader_a),
    ]
    html = client.get(reverse("score_history", args=[s.pk])).content.decode()
    assert "1,00</span> → <strong class=\"history-new\">1,75" in html
    assert "(trống)</span> → <strong class=\"history-new\">1,00" in html
    assert world.leader_a.username in html or world.leader_a.get_full_name() in html


def test_only_changed_scores_get_a_history_row(officer, world):
    a = world.assessment_a
    s = leaf(a, "1.1")
    officer.post(sheet_url(a), post_data(a, {f"s-{s.id}-score": "1"}))
    assert Score.history.filter(assessment_id=a.id).count() == 1


def test_a_later_save_on_an_old_version_gets_a_conflict_and_keeps_typed_values(client, world):
    a = world.assessment_a
    s1, s2 = leaf(a, "1.1"), leaf(a, "2.1")
    stale = post_data(a)  # both open the sheet at version 1
    client.force_login(world.leader_a)
    client.post(sheet_url(a), {**stale, f"s-{s1.id}-score": "2"})
    client.force_login(world.officer_a)
    response = client.post(sheet_url(a), {**stale, f"s-{s1.id}-score": "1,5", f"s-{s2.id}-score": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 tiêu chí vừa được người khác cập nhật" in html
    assert "2 điểm" in html and "1,5 điểm" in html
    assert (world.leader_a.get_full_name() or world.leader_a.username) in html
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert s1.self_score == Decimal("2") and s2.self_score is None
    assert f'name="s-{s1.id}-score" value="1,5"' in html
    assert f'name="s-{s2.id}-score" value="1"' in html
    # The typed value now carries the colleague's version, with a choice of which value to keep.
    assert f'name="s-{s1.id}-ver" value="2"' in html and f'name="s-{s2.id}-ver" value="1"' in html
    assert f'name="s-{s1.id}-keep" value="theirs"' in html


@pytest.mark.parametrize("keep, expected", [("mine", Decimal("1.5")), ("theirs", Decimal("2"))])
def test_after_a_conflict_the_officer_chooses_which_value_to_keep(client, world, keep, expected):
    a = world.assessment_a
    s1, s2 = leaf(a, "1.1"), leaf(a, "2.1")
    stale = post_data(a)
    client.force_login(world.leader_a)
    client.post(sheet_url(a), {**stale, f"s-{s1.id}-score": "2"})
    client.force_login(world.officer_a)
    client.post(sheet_url(a), {**stale, f"s-{s1.id}-score": "1,5", f"s-{s2.id}-score": "1"})
    # What the re-rendered page posts: the typed values, s1 at the colleague's version, and the choice.
    again = {**stale, f"s-{s1.id}-score": "1,5", f"s-{s2.id}-score": "1", f"s-{s1.id}-ver": "2",
             f"s-{s1.id}-orig": score_signature_of(leaf(a, "1.1")), f"s-{s1.id}-keep": keep}
    assert client.post(sheet_url(a), again).status_code == 302
    assert (leaf(a, "1.1").self_score, leaf(a, "2.1").self_score) == (expected, Decimal("1"))


def test_a_colleagues_save_of_an_item_the_officer_did_not_touch_stands(client, world):
    a = world.assessment_a
    s1, s2 = leaf(a, "1.1"), leaf(a, "2.1")
    stale = post_data(a)
    client.force_login(world.leader_a)
    client.post(sheet_url(a), {**stale, f"s-{s1.id}-score": "2"})
    client.force_login(world.officer_a)
    # The stale page still shows s1 empty, but the officer did not touch it: no conflict, not written.
    assert client.post(sheet_url(a), {**stale, f"s-{s2.id}-score": "1"}).status_code == 302
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert (s1.self_score, s2.self_score) == (Decimal("2"), Decimal("1"))
    assert s1.version == 2


def test_read_only_for_the_appraiser(client, world):
    client.force_login(world.appraiser)
    html = client.get(sheet_url(world.assessment_a)).content.decode()
    assert "chỉ có quyền xem" in html
    assert 'name="s-' not in html
    assert "Lưu nháp" not in html


def test_appraiser_cannot_post(client, world):
    client.force_login(world.appraiser)
    assert client.post(sheet_url(world.assessment_a), post_data(world.assessment_a)).status_code == 403


def test_outsider_gets_404(client, world):
    client.force_login(world.officer_b)
    assert client.get(sheet_url(world.assessment_a)).status_code == 404
    assert client.post(sheet_url(world.assessment_a), {}).status_code == 404


def test_a_submitted_sheet_is_read_only_and_says_why(officer, world):
    fill_scores(world.assessment_a)
    assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    html = officer.get(sheet_url(world.assessment_a)).content.decode()
    assert "Đã nộp lúc" in html
    assert 'name="s-' not in html
    response = officer.post(sheet_url(world.assessment_a), post_data(world.assessment_a), follow=True)
    assert "Không thể lưu: Đã nộp lúc" in response.content.decode()


def test_a_sheet_past_its_deadline_says_so(officer, world):
    world.year.self_assessment_opens = timezone.now() - dt.timedelta(days=10)
    world.year.self_assessment_deadline = timezone.now() - dt.timedelta(days=1)
    world.year.save()
    html = officer.get(sheet_url(world.assessment_a)).content.decode()
    assert "Đã hết hạn tự đánh giá" in html


def test_survey_items_are_read_only_and_never_written(officer, world):
    a = world.assessment_a
    s = leaf(a, "2.1")
    s.item.scoring_method = "survey"
    s.item.save()
    html = officer.get(sheet_url(a)).content.decode()
    assert f'name="s-{s.id}-score"' not in html
    assert "xã không tự chấm" in html
    officer.post(sheet_url(a), post_data(a, {f"s-{s.id}-score": "1"}))
    s.refresh_from_db()
    assert s.self_score is None


def test_upload_and_document_link_from_the_sheet(officer, world):
    a = world.assessment_a
    s = leaf(a, "1.1")
    document = DocumentFactory(assessment=a, number_symbol="193/QĐ-UBND")
    data = post_data(a, {f"s-{s.id}-score": "2", f"s-{s.id}-doc": str(document.pk), f"s-{s.id}-loc": "mục II",
                         f"s-{s.id}-files": upload("bien-ban.pdf", pdf_bytes())})
    response = officer.post(sheet_url(a), data)
    assert response.status_code == 302
    links = list(Evidence.objects.filter(score=s).order_by("id"))
    assert {(bool(e.file_id), bool(e.document_id), e.locator) for e in links} == {
        (True, False, "mục II"), (False, True, "mục II")}
    assert all(e.history.get().history_user == world.officer_a for e in links)
    html = officer.get(sheet_url(a)).content.decode()
    assert "bien-ban.pdf" in html and "193/QĐ-UBND" in html


def test_a_refused_file_keeps_the_other_files_pending(officer, world):
    a = world.assessment_a
    s1, s2 = leaf(a, "1.1"), leaf(a, "2.1")
    data = post_data(a, {f"s-{s1.id}-files": upload("ok.pdf", pdf_bytes()),
                         f"s-{s2.id}-files": upload("virus.pdf", exe_bytes())})
    response = officer.post(sheet_url(a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "không phải là loại được phép" in html
    assert "ok.pdf" in html and "sẽ gắn khi lưu" in html
    assert not Evidence.objects.exists()
    pending = re.search(rf'name="s-{s1.id}-pending" value="(\d+)"', html).group(1)
    officer.post(sheet_url(a), post_data(a, {f"s-{s1.id}-pending": pending}))
    assert Evidence.objects.get().file.original_name == "ok.pdf"


def test_removing_an_evidence_link_is_recorded(officer, world):
    a = world.assessment_a
    s = leaf(a, "1.1")
    officer.post(sheet_url(a), post_data(a, {f"s-{s.id}-files": upload("x.pdf", pdf_bytes())}))
    evidence = Evidence.objects.get()
    a.refresh_from_db()
    officer.post(sheet_url(a), post_data(a, {f"s-{s.id}-rm": str(evidence.pk)}))
    assert not Evidence.objects.exists()
    assert Evidence.history.filter(history_type="-", history_user=world.officer_a).count() == 1
    html = officer.get(reverse("score_history", args=[s.pk])).content.decode()
    assert "Gỡ tài liệu kiểm chứng: x.pdf" in html


def test_ids_and_versions_above_999_are_not_written_with_thousand_separators(officer, world):
    a = world.assessment_a
    for offset, s in enumerate(scores_of(a)):
        Score.objects.filter(pk=s.pk).update(id=12000 + offset)
    Score.objects.filter(assessment=a).update(version=1500)
    html = officer.get(sheet_url(a)).content.decode()
    assert 'name="s-12000-score"' in html
    assert 'name="s-12000-ver" value="1500"' in html
    response = officer.post(sheet_url(a), post_data(a, {"s-12000-score": "1,5"}))
    assert response.status_code == 302
    assert Score.objects.get(pk=12000).self_score == Decimal("1.5")


def test_when_the_deadline_passes_while_typing_the_typed_values_are_shown_not_lost(officer, world):
    a = world.assessment_a
    s1 = leaf(a, "2.1")
    data = post_data(a, {f"s-{s1.id}-score": "1,25", f"s-{s1.id}-note": "Đã ban hành kế hoạch số 12/KH-UBND"})
    world.year.self_assessment_deadline = timezone.now() - dt.timedelta(minutes=1)
    world.year.save()
    response = officer.post(sheet_url(a), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "chưa được lưu" in html
    assert "“1,25”" in html and "Đã ban hành kế hoạch số 12/KH-UBND" in html
    s1.refresh_from_db()
    assert s1.self_score is None


def test_a_submitted_sheet_says_submitted_not_being_typed(officer, world):
    fill_scores(world.assessment_a)
    assessment_submit(assessment=world.assessment_a, actor=world.officer_a)
    html = officer.get(sheet_url(world.assessment_a)).content.decode()
    assert "Đã nộp: <strong>" in html and "Đang nhập:" not in html


def test_last_changed_is_labelled_per_kind_of_value(client, world):
    from parindex.services.appraisal import appraisal_sheet_save
    from tests.parindex.workflow_states import drive

    a = world.assessment_a
    s = leaf(a, "1.1")
    client.force_login(world.officer_a)
    client.post(sheet_url(a), post_data(a, {f"s-{s.id}-score": "1"}))
    a = drive(a, "in_appraisal", officer=world.officer_a, appraiser=world.appraiser)
    s.refresh_from_db()
    appraisal_sheet_save(assessment=a, actor=world.appraiser,
                         values={"scores": {s.id: {"appraised_score": "0,5", "version": s.version}}})
    html = client.get(sheet_url(a)).content.decode()
    officer_name = world.officer_a.get_full_name() or world.officer_a.username
    appraiser_name = world.appraiser.get_full_name() or world.appraiser.username
    assert f"Tự chấm sửa lần cuối: {officer_name}" in html
    assert f"Thẩm định sửa lần cuối: {appraiser_name}" in html
