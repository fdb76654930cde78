"""The XLSX export of every dashboard page: the page's tables, numbers as numbers, text that looks
like a formula kept as text; through the visibility rule."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parindex.models import Item
from parindex.views.dashboards import PAGES
from tests.parindex.dashboards.states import published_approved_unfinished

pytestmark = pytest.mark.django_db


def _workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _sheet_rows(ws, header):
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == header[0] and r[1] == header[1])
    body = []
    for r in rows[start + 1:]:
        if r[0] is None:
            break
        body.append(list(r[:len(header)]))
    return body


@pytest.mark.parametrize("slug", [slug for slug, _, _ in PAGES])
def test_every_page_exports_the_tables_it_shows(world, client, slug):
    published_approved_unfinished(world)
    client.force_login(world.admin)
    query = {"xa": [world.assessment_a.pk, world.assessment_b.pk]} if slug == "so-sanh" else {}
    name = next(name for s, name, _ in PAGES if s == slug)
    board = client.get(reverse(name, args=[world.year.pk]), query).context["dashboard"]
    wb = _workbook(client.get(reverse("dashboard_export", args=[world.year.pk, slug]), query))
    assert len(wb.sheetnames) == len(board.tables)
    for ws, table in zip(wb.worksheets, board.tables, strict=True):
        body = _sheet_rows(ws, [c.label for c in table.columns])
        assert len(body) == len(table.rows), table.title
        for cells, values in zip(body, table.rows, strict=True):
            for cell, value, column in zip(cells, values, table.columns, strict=True):
                if column.kind == "percent" and value is not None:
                    assert cell == pytest.approx(float(value / 100)), (table.title, column.label)
                elif isinstance(value, Decimal):
                    assert cell == pytest.approx(float(value)), (table.title, column.label)
                else:
                    assert cell == value, (table.title, column.label)


def test_a_name_that_looks_like_a_formula_stays_text(world, client):
    published_approved_unfinished(world)
    Item.objects.filter(criteria_set=world.year.criteria_set, code="1.1").update(name='=HYPERLINK("http://x","y")')
    Item.objects.filter(criteria_set=world.year.criteria_set, code="2.1").update(name="-5 điểm nếu chậm")
    client.force_login(world.admin)
    wb = _workbook(client.get(reverse("dashboard_export", args=[world.year.pk, "linh-vuc"])))
    cells = [c for row in wb.worksheets[1].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "-"))]
    assert sorted(c.value for c in cells) == ["-5 điểm nếu chậm", '=HYPERLINK("http://x","y")']
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_it_exports_what_the_user_sees_only(world, client):
    published_approved_unfinished(world)
    client.force_login(world.other_appraiser)
    wb = _workbook(client.get(reverse("dashboard_export", args=[world.year.pk, "xep-hang"])))
    text = " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    assert "Long Hiệp" in text and "Ba Thành" not in text and "Ba Động" not in text


def test_an_unknown_page_is_not_found(world, client):
    client.force_login(world.admin)
    assert client.get(reverse("dashboard_export", args=[world.year.pk, "khong-co"])).status_code == 404
