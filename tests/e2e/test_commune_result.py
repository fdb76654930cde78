"""The commune officer finds its published result: from the landing page to the result page, with
the appraiser's comments and the explanation exchange, the points lost, the index, rank and band;
on a desktop and on a phone.

The demo's xã Ba Điền was returned for explanation on two items. Before the browser opens, the
real services carry it on (the commune explains, the appraiser scores round 2 and approves) and the
province publishes every approved result; the journey of those steps in a browser is
test_journeys.py's."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from parindex.demo import BA_DIEN, FLAG_COMMENTS
from parindex.models import AssessmentStatus, Score
from parindex.numbers import format_percent, format_points
from parindex.selectors.rankings import assessment_rank
from parindex.selectors.tree import assessment_tree
from parindex.services import workflow
from parindex.services.appraisal import appraisal_sheet_save
from parindex.services.explanation import explanation_resubmit
from tests.parindex.versions import versioned

from .test_phone_and_permissions import PHONE, assert_fits

S = AssessmentStatus
ANSWERS = {
    "3.4.1": "Xã bổ sung danh sách 312 hồ sơ giải quyết đúng hạn trích xuất từ Hệ thống ngày 05/12/2024.",
    "7.2.1": "Cổng dịch vụ công chưa cho trích xuất báo cáo; xã gửi ảnh chụp màn hình số liệu.",
}
ROUND2 = {"3.4.1": ("0,75", "Đã đối chiếu danh sách bổ sung, chấp nhận một phần."),
          "7.2.1": ("0", "Ảnh chụp màn hình không thay được báo cáo trích xuất.")}


def publish_ba_dien(demo):
    users, assessment = demo.users, demo.assessments[BA_DIEN]
    officer, appraiser = users["canbo.badien"], users["thamdinh.bato"]
    scores = {s.item.code: s for s in Score.objects.filter(assessment=assessment, flagged=True).select_related("item")}
    assessment = explanation_resubmit(
        assessment=assessment, actor=officer,
        values=versioned({scores[code].id: {"explanation": text} for code, text in ANSWERS.items()}),
    ).assessment
    assessment = appraisal_sheet_save(assessment=assessment, actor=appraiser, expected_version=assessment.version,
                                      values={"scores": {scores[code].id: {"round2_score": value, "round2_comment": note}
                                                         for code, (value, note) in ROUND2.items()}}).assessment
    assessment = workflow.assessment_complete_appraisal(assessment=assessment, actor=appraiser)
    assessment = workflow.assessment_approve(assessment=assessment, actor=appraiser)
    workflow.results_publish(year=assessment.year, actor=users["quantri.quangngai"],
                             decision_number="125/QĐ-UBND", decision_date=dt.date(2025, 2, 10))
    assessment.refresh_from_db()
    assert assessment.status == S.PUBLISHED
    return assessment


@pytest.mark.e2e
def test_the_commune_officer_sees_its_published_result_with_comments_and_lost_points(demo, browse):
    assessment = publish_ba_dien(demo)
    tree = assessment_tree(assessment=assessment)
    rank = assessment_rank(assessment=assessment)
    worst_area = max(tree.areas, key=lambda a: (a.applicable_max - a.final_total, -int(a.item.code)))

    officer = browse("result", "canbo.badien")
    page = officer.page
    # The landing page (the score sheet) says the result is out and leads to it.
    expect(page.locator("#result-ready")).to_contain_text("công bố")
    officer.shot("01-landing")
    page.locator("#result-ready").get_by_role("link", name="Xem kết quả").click()
    page.wait_for_load_state()
    expect(page.locator("h2#result-summary-title")).to_have_text("Kết quả Chỉ số CCHC năm 2024")

    summary = page.locator("#result-summary")
    expect(summary.locator('[data-figure="final"]')).to_have_text(
        f"{format_points(tree.totals.final_total)}/{format_points(tree.totals.applicable_max)}")
    expect(summary.locator('[data-figure="index"]')).to_have_text(format_percent(tree.totals.index_percent))
    expect(summary.locator('[data-figure="rank"]')).to_contain_text(f"{rank['rank']}/{rank['of']}")
    expect(summary.locator('[data-figure="band"]')).to_have_text(rank["band"])

    # Where points were lost: the weakest area comes first and is open.
    first_area = page.locator("#points-lost details").first
    expect(first_area).to_have_attribute("open", "")
    expect(first_area.locator("summary")).to_contain_text(worst_area.item.name)
    expect(first_area.locator("summary")).to_contain_text(
        f"mất {format_points(worst_area.applicable_max - worst_area.final_total)}")

    # Each flagged item shows the request, the commune's answer, round 2 and the final score.
    for code, (value, note) in ROUND2.items():
        row = page.locator(f'[id="item-{code}"]')
        exchange = row.locator("xpath=following-sibling::tr[1]")
        expect(row).to_contain_text("có giải trình")
        expect(exchange).to_contain_text(FLAG_COMMENTS[code])
        expect(exchange).to_contain_text(ANSWERS[code])
        expect(exchange).to_contain_text(note)
        expect(row.locator("td").last).to_have_text(format_points(Decimal(value.replace(",", "."))))
    # An item the appraiser changed without asking for an explanation is marked too.
    unflagged = next(leaf for leaf in tree.leaves if leaf.changed and not leaf.score.flagged)
    expect(page.locator(f'[id="item-{unflagged.item.code}"]')).to_contain_text("đã thay đổi")
    expect(page.locator("#result-history")).to_contain_text(format_percent(tree.totals.index_percent))
    officer.assert_healthy()
    officer.shot("02-result")
    # The top of the page (figures and the weakest area), as docs/screenshots/commune-result.png shows it.
    page.screenshot(path=str(officer.artifacts / "result-03-top.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": 1250})

    phone = browse("result-phone", "canbo.badien", **PHONE)
    phone.goto(f"/tu-danh-gia/{assessment.pk}/ket-qua/")
    expect(phone.page.locator('[data-figure="index"]')).to_have_text(format_percent(tree.totals.index_percent))
    assert_fits(phone)
    phone.assert_healthy()
    phone.shot("01-result")
