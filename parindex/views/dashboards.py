"""Dashboards of a year (appraisers, province administrators, viewers): progress, ranking with its
distribution, areas, a comparison of chosen communes, year over year; each exports its tables as
XLSX. The pages and the exports are built by the same selector, through the visibility rule."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from parindex.selectors import dashboards as board
from parindex.selectors.visibility import year_get_visible
from reports.text import ascii_slug
from reports.xlsx import dashboard_xlsx

PAGES = (
    ("tien-do", "dashboard_progress", "Tiến độ"),
    ("xep-hang", "dashboard_ranking", "Xếp hạng, phân bố"),
    ("linh-vuc", "dashboard_areas", "Theo lĩnh vực"),
    ("so-sanh", "dashboard_compare", "So sánh đơn vị"),
    ("qua-cac-nam", "dashboard_years", "Qua các năm"),
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CompareForm(forms.Form):
    xa = forms.TypedMultipleChoiceField(label="Đơn vị so sánh", coerce=int, error_messages={
        "invalid_choice": "Không so sánh được đơn vị đã chọn: đơn vị chưa có kết quả cuối cùng "
                          "hoặc ngoài phạm vi bạn được xem.",
        "required": "Chọn từ 2 đến 5 đơn vị để so sánh.",
    },
                                   widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["xa"].choices = [
            (a.id, f"{a.unit.display_name}" + (f" ({a.unit.parent.display_name})" if a.unit.parent else ""))
            for a in candidates
        ]

    def clean_xa(self):
        chosen = self.cleaned_data["xa"]
        if not board.COMPARE_MIN <= len(chosen) <= board.COMPARE_MAX:
            raise forms.ValidationError(
                f"Chọn từ {board.COMPARE_MIN} đến {board.COMPARE_MAX} đơn vị để so sánh (đã chọn {len(chosen)}).")
        return chosen


def _year_for_dashboard(request, pk):
    year = year_get_visible(request.user, pk)
    if not request.user.has_perm("parindex.view_appraisal"):
        raise PermissionDenied("Bảng điều khiển dành cho cán bộ thẩm định, quản trị và người xem.")
    return year


def _scope(request, year):
    """The district a dashboard is narrowed to (?don-vi=…), among those the user sees."""
    units = board.dashboard_scope_units(user=request.user, year=year)
    raw = request.GET.get("don-vi", "")
    return units, next((u for u in units if str(u.id) == raw), None)


def _build(request, year, page):
    """The dashboard of `page` and what its page needs besides (scope choices and the name of the
    scope shown, the compare form)."""
    user = request.user
    units, scope_unit = _scope(request, year)
    # An appraiser of one district sees that district, not the province, named in the title.
    shown = scope_unit or (units[0] if len(units) == 1 else year.scope)
    context = {"scope_label": shown.display_name}
    if page == "tien-do":
        return board.dashboard_progress(user=user, year=year), context
    if page == "so-sanh":
        form = CompareForm(request.GET or None, candidates=board.compare_candidates(user=user, year=year))
        chosen = form.cleaned_data["xa"] if form.is_bound and form.is_valid() else []
        context["form"] = form
        return board.dashboard_compare(user=user, year=year, assessment_ids=chosen), context
    context.update(scope_units=units, scope_unit=scope_unit)
    builder = {"xep-hang": board.dashboard_ranking, "linh-vuc": board.dashboard_areas,
               "qua-cac-nam": board.dashboard_years}[page]
    return builder(user=user, year=year, scope_unit=scope_unit), context


def _page(request, pk, page):
    year = _year_for_dashboard(request, pk)
    dashboard, context = _build(request, year, page)
    return render(request, f"parindex/dashboards/{page}.html", {
        **context, "year": year, "dashboard": dashboard, "page": page, "pages": PAGES,
        "query": request.GET.urlencode(),
    })


@login_required
def dashboard_progress(request, pk):
    return _page(request, pk, "tien-do")


@login_required
def dashboard_ranking(request, pk):
    return _page(request, pk, "xep-hang")


@login_required
def dashboard_areas(request, pk):
    return _page(request, pk, "linh-vuc")


@login_required
def dashboard_compare(request, pk):
    return _page(request, pk, "so-sanh")


@login_required
def dashboard_years(request, pk):
    return _page(request, pk, "qua-cac-nam")


@login_required
def dashboard_export(request, pk, page):
    """The tables of a dashboard page as XLSX, the same rows (same query string) as the page."""
    if page not in {slug for slug, _, _ in PAGES}:
        raise Http404("Không có bảng điều khiển này")
    year = _year_for_dashboard(request, pk)
    dashboard, context = _build(request, year, page)
    scope = context["scope_label"]
    content = dashboard_xlsx(title=dashboard.title.upper(), subtitle=scope, tables=dashboard.tables,
                             illustrative=year.assessments.filter(is_illustrative=True).exists())
    response = HttpResponse(content, content_type=XLSX)
    filename = f"{page}-{year.year}-{ascii_slug(scope)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
