import datetime as dt

import pytest
from django.urls import reverse

from parindex.models import PlanTask
from parindex.services.plan import IMPORT_COLUMNS, PlanError, plan_tasks_import
from tests.factories import PlanTaskFactory

from .files import pdf_bytes, upload, xlsx_bytes

GOOD_ROWS = [
    IMPORT_COLUMNS,
    [1, "Ban hành kế hoạch CCHC năm 2024", "1", "Văn phòng - Thống kê", "31/01/2024", "Hoàn thành",
     dt.datetime(2024, 1, 25), "Kế hoạch số 12/KH-UBND"],
    [2, "Rà soát thủ tục hành chính", 2, "Tư pháp - Hộ tịch", dt.datetime(2024, 6, 30), "Không hoàn thành", None, ""],
    [3, "Tuyên truyền dịch vụ công trực tuyến", None, "Văn hóa - Xã hội", None, "đang thực hiện", None, None],
]


def xlsx_upload(rows, name="nhiem-vu.xlsx"):
    return upload(name, xlsx_bytes(rows))


def test_a_good_file_imports_every_row(world):
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a, uploaded_file=xlsx_upload(GOOD_ROWS))
    assert result.ok and result.created == 3
    tasks = list(PlanTask.objects.order_by("order"))
    assert [t.status for t in tasks] == ["done", "not_done", "in_progress"]
    assert tasks[0].area.code == "1" and tasks[1].area.code == "2" and tasks[2].area is None
    assert tasks[0].deadline == dt.date(2024, 1, 31) and tasks[0].completed_on == dt.date(2024, 1, 25)
    assert tasks[0].result_document == "Kế hoạch số 12/KH-UBND"


def test_a_bad_file_imports_nothing_and_names_every_bad_row(world):
    rows = GOOD_ROWS + [
        [4, "", "1", "", None, "Hoàn thành", None, None],
        [5, "Nhiệm vụ có lĩnh vực sai", "9", "", None, "Hoàn thành", None, None],
        [6, "Nhiệm vụ có ngày sai", "1", "", "31/02/2024", "Hoàn thành", None, None],
        [7, "Nhiệm vụ có tình trạng lạ", "1", "", None, "xong rồi", None, None],
        [8, "Chưa xong mà có ngày hoàn thành", "1", "", None, "Đang thực hiện", "01/02/2024", None],
    ]
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a, uploaded_file=xlsx_upload(rows))
    assert not result.ok
    assert not PlanTask.objects.exists()
    text = "\n".join(result.errors)
    assert "Dòng 5: thiếu nội dung nhiệm vụ." in text
    assert "Dòng 6: mã lĩnh vực “9” không có trong bộ chỉ số" in text
    assert "Dòng 7: cột “Thời hạn” “31/02/2024” không phải là ngày" in text
    assert "Dòng 8: tình trạng “xong rồi” không hợp lệ" in text
    assert "Dòng 9: có ngày hoàn thành nhưng tình trạng không phải “Hoàn thành”." in text


def test_a_file_without_the_header_is_refused(world):
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=xlsx_upload([["a", "b"], [1, 2]]))
    assert not result.ok and "thiếu cột: “Nội dung”" in result.errors[0]


def test_a_pdf_named_xlsx_is_refused(world):
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=upload("nhiem-vu.xlsx", pdf_bytes()))
    assert not result.ok and "phải là bảng tính Excel .xlsx" in result.errors[0]


def test_replace_swaps_the_whole_list_in_one_go(world):
    PlanTaskFactory.create_batch(4, assessment=world.assessment_a)
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a,
                               uploaded_file=xlsx_upload(GOOD_ROWS), replace=True)
    assert result.replaced == 4 and PlanTask.objects.count() == 3


def test_import_page_lists_the_row_errors(client, world):
    client.force_login(world.officer_a)
    rows = [IMPORT_COLUMNS, [1, "", "1", "", None, "Hoàn thành", None, None]]
    response = client.post(reverse("plan_tasks_import", args=[world.assessment_a.pk]),
                           {"file": xlsx_upload(rows)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa nhập nhiệm vụ nào" in html and "Dòng 2: thiếu nội dung nhiệm vụ." in html


def test_import_page_imports_a_good_file(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("plan_tasks_import", args=[world.assessment_a.pk]),
                           {"file": xlsx_upload(GOOD_ROWS)}, follow=True)
    assert "Đã nhập 3 nhiệm vụ từ tệp Excel." in response.content.decode()


def test_the_template_round_trips(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("plan_tasks_template", args=[world.assessment_a.pk]))
    template = upload("mau.xlsx", response.content)
    result = plan_tasks_import(assessment=world.assessment_a, actor=world.officer_a, uploaded_file=template)
    assert result.ok and result.created == 1


def test_an_outsider_cannot_import(world):
    with pytest.raises(PlanError, match="không có quyền"):
        plan_tasks_import(assessment=world.assessment_a, actor=world.officer_b, uploaded_file=xlsx_upload(GOOD_ROWS))
    assert not PlanTask.objects.exists()
