"""Admin for the index: criteria sets and their item trees, evaluation years, and (read-mostly)
what the communes and appraisers produce.

Edits of a set and its items go through parindex.services.criteria, which refuses a set a year
uses (the admin shows such a set read-only, with a "copy to edit" action). Assessment states
change only through the workflow services, never here. A province administrator sees only the
years and assessments of their province: every queryset goes through the visibility selectors.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from communes.models import COMMUNE_KINDS, PROVINCE_KINDS, UnitKind
from communes.selectors import units_visible_to
from parindex.forms.fields import NumberFieldsAdminMixin
from parindex.models import (
    FROZEN_STATUSES,
    ApprovalEvent,
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Document,
    EvaluationYear,
    Evidence,
    EvidenceFile,
    Item,
    ItemLevel,
    LockException,
    Meeting,
    PlanTask,
    Score,
    ServiceFigures,
)
from parindex.numbers import format_points
from parindex.selectors import assessments_visible_to
from parindex.selectors.criteria_sets import (
    criteria_set_editable_by,
    criteria_set_usable_for,
    criteria_sets_editable_by,
    criteria_sets_visible_to,
    provinces_administered_by,
)
from parindex.services.criteria import (
    CriteriaImportError,
    CriteriaSetError,
    bands_parse,
    bands_text,
    criteria_set_check,
    criteria_set_copy,
    criteria_set_copy_code,
    criteria_set_export,
    criteria_set_import,
    criteria_set_save,
    criteria_set_structure,
    criteria_set_summary,
    frozen_message,
    item_delete,
    item_place,
    item_save,
)
from parindex.services.workflow import WorkflowError, lock_exception_grant
from parindex.services.years import YearError, evaluation_year_open

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLE_BADGE = '<span class="par-sample-badge" title="Nội dung mẫu, chưa phải văn bản chính thức">nội dung mẫu</span>'


def sample_badge(flag):
    return mark_safe(SAMPLE_BADGE) if flag else ""  # noqa: S308 - a constant


def criteria_tree_html(criteria_set, *, links=True):
    """The set's structure, problems and indented item tree, as the admin shows it."""
    items = list(criteria_set.items.order_by("sort_key"))
    return render_to_string("admin/parindex/criteriaset/_tree.html", {
        "criteria_set": criteria_set,
        "links": links,
        "rows": [(i, i.depth, reverse("admin:parindex_item_change", args=[i.pk]) if links else "") for i in items],
        "structure": criteria_set_structure(criteria_set=criteria_set),
        "summary": criteria_set_summary(criteria_set=criteria_set),
        "problems": criteria_set_check(criteria_set=criteria_set),
    })


class PointsDisplayMixin:
    @admin.display(description="điểm tối đa", ordering="max_points")
    def max_points_display(self, obj):
        return format_points(obj.max_points)


# --- Criteria sets -----------------------------------------------------------------------------

class CriteriaSetForm(forms.ModelForm):
    unit_kinds = forms.MultipleChoiceField(
        label="Áp dụng cho loại đơn vị", widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in UnitKind if k in COMMUNE_KINDS],
    )
    bands = forms.CharField(
        label="Xếp loại", required=False, widget=forms.TextInput(attrs={"size": 70}),
        help_text="Theo thứ tự giảm dần, ví dụ: Tốt ≥ 90; Khá ≥ 80; Trung bình ≥ 65; Yếu ≥ 0",
    )

    class Meta:
        model = CriteriaSet
        fields = ("code", "name", "province", "unit_kinds", "status", "is_sample", "note", "decision_number",
                  "decision_date", "issuer", "decision_title", "period", "declared_total", "precision", "bands", "bonus_cap",
                  "penalty_cap")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["bands"] = bands_text(self.instance.bands)

    def clean_bands(self):
        bands, errors = bands_parse(self.cleaned_data["bands"])
        if errors:
            raise ValidationError(errors)
        return bands


class CriteriaImportForm(forms.Form):
    source = forms.FileField(label="Tệp bộ chỉ số", help_text="Tệp .yaml, .yml hoặc .xlsx")
    province = forms.ModelChoiceField(
        label="Tỉnh sở hữu", queryset=None, empty_label="Bộ mẫu toàn quốc",
        help_text="Bộ chỉ số thuộc về tỉnh này: chỉ quản trị của tỉnh xem và sửa được.",
    )
    replace = forms.BooleanField(
        label="Thay thế bộ chỉ số cùng mã", required=False,
        help_text="Chỉ được khi chưa kỳ đánh giá nào sử dụng bộ chỉ số đó.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.provinces = provinces_administered_by(user)
        self.fields["province"].queryset = self.provinces
        self.fields["province"].required = False
        if not user.is_superuser and len(self.provinces) == 1:
            self.fields["province"].initial = self.provinces[0].pk

    def clean_province(self):
        # Only a superuser makes national templates; a province administrator imports for their
        # province (chosen for them when they administer exactly one).
        province = self.cleaned_data.get("province")
        if province is None and not self.user.is_superuser:
            if len(self.provinces) != 1:
                raise ValidationError("Chọn tỉnh sở hữu bộ chỉ số.")
            province = self.provinces[0]
        return province


def copy_owner(user, source):
    """Whose the copy of `source` is: the source's province when the user administers it (a superuser
    keeps the owner, national templates included), else the user's own province."""
    if user.is_superuser or (source.province_id and criteria_set_editable_by(user=user, criteria_set=source)):
        return source.province
    own = provinces_administered_by(user).first()
    if own is None:
        raise PermissionDenied
    return own


@admin.register(CriteriaSet)
class CriteriaSetAdmin(NumberFieldsAdminMixin, admin.ModelAdmin):
    form = CriteriaSetForm
    change_list_template = "admin/parindex/criteriaset/change_list.html"
    change_form_template = "admin/parindex/criteriaset/change_form.html"
    list_display = ("name", "code", "decision_number", "decision_date", "status", "sample", "frozen", "item_count")
    list_filter = ("status", ("province", admin.RelatedOnlyFieldListFilter), "is_sample", "issuer")
    search_fields = ("code", "name", "decision_number", "issuer")
    readonly_fields = ("copied_from", "created_at", "tree")
    actions = ["copy_for_editing"]
    fieldsets = (
        ("Thông tin chung", {"fields": ("code", "name", "province", "unit_kinds", "status", "is_sample", "note")}),
        ("Quyết định ban hành", {"fields": ("decision_number", "decision_date", "issuer", "decision_title", "period")}),
        ("Điểm và xếp loại", {"fields": ("declared_total", "precision", "bands", "bonus_cap", "penalty_cap")}),
        ("Cấu trúc và các tiêu chí", {"fields": ("tree",)}),
        ("Nguồn gốc", {"classes": ("collapse",), "fields": ("copied_from", "created_at")}),
    )

    class Media:
        css = {"all": ["css/admin-criteria.css"]}

    @admin.display(description="nội dung mẫu", boolean=False)
    def sample(self, obj):
        return sample_badge(obj.is_sample)

    @admin.display(description="đã dùng cho kỳ đánh giá", boolean=True)
    def frozen(self, obj):
        return obj.is_frozen

    @admin.display(description="số mục")
    def item_count(self, obj):
        return obj.items.count()

    @admin.display(description="cấu trúc, kiểm tra và cây tiêu chí")
    def tree(self, obj):
        if obj is None or not obj.pk:
            return "Lưu bộ chỉ số trước, rồi thêm các mục hoặc nhập từ tệp."
        return criteria_tree_html(obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[:3]
        return self.fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=criteria_sets_visible_to(request.user).values("pk"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "province" in form.base_fields:
            form.base_fields["province"].required = not request.user.is_superuser
            if not request.user.is_superuser:
                form.base_fields["province"].empty_label = None
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            kwargs["queryset"] = provinces_administered_by(request.user)
            kwargs["empty_label"] = "Bộ mẫu toàn quốc"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _owned(self, request, obj):
        # National templates and other provinces' sets are read-only here (they are not even listed
        # for another province's administrator: get_queryset).
        return obj is None or criteria_set_editable_by(user=request.user, criteria_set=obj)

    def has_change_permission(self, request, obj=None):
        return (super().has_change_permission(request, obj) and self._owned(request, obj)
                and not (obj is not None and obj.is_frozen))

    def has_delete_permission(self, request, obj=None):
        return (super().has_delete_permission(request, obj) and self._owned(request, obj)
                and not (obj is not None and obj.is_frozen))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and obj.is_frozen and request.method == "GET":
            messages.warning(request, frozen_message(obj))
        extra_context = {**(extra_context or {}), "frozen": bool(obj and obj.is_frozen),
                         "may_copy": self.has_add_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        criteria_set_save(criteria_set=obj)

    def response_change(self, request, obj):
        self._report_problems(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._report_problems(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _report_problems(self, request, obj):
        problems = criteria_set_check(criteria_set=obj)
        if problems and obj.items.exists():
            messages.warning(request, f"Bộ chỉ số chưa nhất quán ({len(problems)} vấn đề): " + " ".join(problems[:5]))

    @admin.action(description="Tạo bản sao để chỉnh sửa")
    def copy_for_editing(self, request, queryset):
        if not self.has_add_permission(request):
            raise PermissionDenied
        copies = [self._copy(request, s) for s in queryset]
        for copy in copies:
            messages.success(request, format_html(
                "Đã tạo bản nháp <a href=\"{}\">{}</a> (mã {}).",
                reverse("admin:parindex_criteriaset_change", args=[copy.pk]), copy.name, copy.code))
        if len(copies) == 1:
            return HttpResponseRedirect(reverse("admin:parindex_criteriaset_change", args=[copies[0].pk]))
        return None

    def _copy(self, request, criteria_set):
        return criteria_set_copy(criteria_set=criteria_set, code=criteria_set_copy_code(criteria_set=criteria_set),
                                 name=f"{criteria_set.name} (bản sao)",
                                 province=copy_owner(request.user, criteria_set))

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("nhap-tu-tep/", self.admin_site.admin_view(self.import_view), name=f"{prefix}_import"),
            path("<int:pk>/tao-ban-sao/", self.admin_site.admin_view(self.copy_view), name=f"{prefix}_copy"),
            path("<int:pk>/xuat.<str:fmt>", self.admin_site.admin_view(self.export_view), name=f"{prefix}_export"),
        ] + super().get_urls()

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_view_permission(request)):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts,
                   "title": "Nhập bộ chỉ số từ tệp", "errors": [], "imported": None}
        form = CriteriaImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                imported = criteria_set_import(source=form.cleaned_data["source"],
                                               replace=form.cleaned_data["replace"],
                                               province=form.cleaned_data["province"])
            except CriteriaImportError as exc:
                context["errors"] = exc.errors
            else:
                self.log_addition(request, imported, [{"added": {}}])
                context.update(imported=imported, tree=criteria_tree_html(imported))
                messages.success(request, f"Đã nhập bộ chỉ số “{imported.name}”.")
        context["form"] = form
        return TemplateResponse(request, "admin/parindex/criteriaset/import.html", context)

    def copy_view(self, request, pk):
        source = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            # Copying creates a set: only the button (a POST) does it; a visit goes to the set's page.
            return HttpResponseRedirect(reverse("admin:parindex_criteriaset_change", args=[source.pk]))
        if not (self.has_add_permission(request) and self.has_view_permission(request, source)):
            raise PermissionDenied
        copy = self._copy(request, source)
        self.log_addition(request, copy, [{"added": {}}])
        messages.success(request, f"Đã tạo bản nháp “{copy.name}” (mã {copy.code}) để chỉnh sửa.")
        return HttpResponseRedirect(reverse("admin:parindex_criteriaset_change", args=[copy.pk]))

    def export_view(self, request, pk, fmt):
        criteria_set = get_object_or_404(self.get_queryset(request), pk=pk)
        if fmt not in ("xlsx", "yaml") or not self.has_view_permission(request, criteria_set):
            raise PermissionDenied
        response = HttpResponse(content_type=XLSX_TYPE if fmt == "xlsx" else "application/yaml; charset=utf-8")
        criteria_set_export(criteria_set=criteria_set, destination=response, fmt=fmt)
        response["Content-Disposition"] = f'attachment; filename="{criteria_set.code}.{fmt}"'
        return response


# --- Items -------------------------------------------------------------------------------------

class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ("criteria_set", "code", "name", "order", "max_points", "scoring_guide", "evidence_guide",
                  "scoring_method", "allows_not_applicable", "requires_evidence", "is_sample")

    def clean(self):
        cleaned = super().clean()
        criteria_set = cleaned.get("criteria_set")
        if criteria_set is None or not cleaned.get("code"):
            return cleaned
        if criteria_set.is_frozen:
            raise ValidationError(frozen_message(criteria_set))
        probe = Item(pk=self.instance.pk, criteria_set=criteria_set, code=cleaned["code"])
        try:
            item_place(item=probe)
        except CriteriaSetError as exc:
            self.add_error("code", exc.message)
        return cleaned


class ItemLevelFilter(admin.SimpleListFilter):
    title = "được chấm điểm"
    parameter_name = "la"

    def lookups(self, request, model_admin):
        return [("1", "Mục được chấm điểm"), ("0", "Mục có mục con")]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_leaf=self.value() == "1")
        return queryset


@admin.register(Item)
class ItemAdmin(NumberFieldsAdminMixin, PointsDisplayMixin, admin.ModelAdmin):
    form = ItemForm
    list_display = ("tree_name", "max_points_display", "level", "leaf", "scoring_method", "allows_not_applicable",
                    "sample", "criteria_set")
    list_display_links = ("tree_name",)
    list_filter = (("criteria_set", admin.RelatedOnlyFieldListFilter), "level", ItemLevelFilter, "scoring_method",
                   "allows_not_applicable", "is_sample")
    search_fields = ("code", "name", "scoring_guide", "evidence_guide", "criteria_set__code")
    ordering = ("criteria_set", "sort_key")
    list_select_related = ("criteria_set",)
    list_per_page = 200
    readonly_fields = ("level", "parent", "area", "is_leaf")
    fields = ("criteria_set", "code", "name", "order", "max_points", "scoring_guide", "evidence_guide",
              "scoring_method", "allows_not_applicable", "requires_evidence", "is_sample",
              "level", "parent", "area", "is_leaf")

    class Media:
        css = {"all": ["css/admin-criteria.css"]}

    @admin.display(description="mã, nội dung", ordering="sort_key")
    def tree_name(self, obj):
        return format_html('<span class="par-tree par-depth-{}"><b>{}</b> {}</span>', obj.depth, obj.code, obj.name)

    @admin.display(description="chấm điểm", boolean=True)
    def leaf(self, obj):
        return obj.is_leaf

    @admin.display(description="nội dung mẫu")
    def sample(self, obj):
        return sample_badge(obj.is_sample)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("is_sample", False)
        return initial

    def get_queryset(self, request):
        return super().get_queryset(request).filter(
            criteria_set__in=criteria_sets_visible_to(request.user).values("pk"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "criteria_set":
            kwargs["queryset"] = criteria_sets_editable_by(request.user).filter(years__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _frozen(self, obj):
        return obj is not None and obj.criteria_set.is_frozen

    def _owned(self, request, obj):
        return obj is None or criteria_set_editable_by(user=request.user, criteria_set=obj.criteria_set)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owned(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owned(request, obj) and not self._frozen(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if self._frozen(obj) and request.method == "GET":
            messages.warning(request, frozen_message(obj.criteria_set))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        item_save(item=obj)

    def delete_model(self, request, obj):
        item_delete(item=obj)

    def delete_queryset(self, request, queryset):
        # Deepest first, so that a parent never disappears under a child still being deleted.
        for item in sorted(queryset, key=lambda i: i.depth, reverse=True):
            if Item.objects.filter(pk=item.pk).exists():
                item_delete(item=item)

    def response_change(self, request, obj):
        self._report_problems(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._report_problems(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _report_problems(self, request, obj):
        problems = criteria_set_check(criteria_set=obj.criteria_set)
        if problems:
            messages.warning(request, f"Bộ chỉ số chưa nhất quán ({len(problems)} vấn đề): " + " ".join(problems[:5]))


# --- Evaluation years --------------------------------------------------------------------------

def _visible_assessment_ids(request):
    return assessments_visible_to(request.user).values("pk")


class EvaluationYearForm(forms.ModelForm):
    class Meta:
        model = EvaluationYear
        fields = ("year", "scope", "criteria_set", "theme", "ranking_scope", "requires_leader_approval",
                  "self_assessment_opens", "self_assessment_deadline", "appraisal_round1_deadline",
                  "explanation_deadline", "appraisal_round2_deadline", "publication_date",
                  "online_filing_threshold", "digitisation_threshold")

    def clean(self):
        cleaned = super().clean()
        criteria_set, scope = cleaned.get("criteria_set"), cleaned.get("scope")
        if criteria_set is not None and scope is not None and not criteria_set_usable_for(
                criteria_set=criteria_set, scope=scope):
            self.add_error("criteria_set", f"Bộ chỉ số này thuộc {criteria_set.province}: kỳ đánh giá của {scope} "
                                           "chỉ dùng bộ chỉ số của tỉnh mình hoặc bộ mẫu toàn quốc.")
        return cleaned


@admin.register(EvaluationYear)
class EvaluationYearAdmin(NumberFieldsAdminMixin, admin.ModelAdmin):
    list_display = ("year", "scope", "criteria_set", "ranking_scope", "opened_at", "published_at", "assessment_count")
    form = EvaluationYearForm
    list_filter = ("year", "ranking_scope", ("criteria_set", admin.RelatedOnlyFieldListFilter))
    search_fields = ("scope__name", "criteria_set__name", "criteria_set__code", "theme")
    list_select_related = ("scope", "criteria_set")
    # The publication decision is written by the publish transition (workflow.results_publish) only.
    readonly_fields = ("opened_at", "published_at", "publication_decision_number", "publication_decision_date")
    actions = ["open_years"]
    fieldsets = (
        (None, {"fields": ("year", "scope", "criteria_set", "theme", "ranking_scope", "requires_leader_approval")}),
        ("Các mốc thời gian", {"fields": ("self_assessment_opens", "self_assessment_deadline",
                                          "appraisal_round1_deadline", "explanation_deadline",
                                          "appraisal_round2_deadline", "publication_date")}),
        ("Ngưỡng dùng trong báo cáo", {"fields": ("online_filing_threshold", "digitisation_threshold")}),
        ("Mở kỳ và công bố", {"fields": ("opened_at", "published_at", "publication_decision_number",
                                         "publication_decision_date")}),
    )

    @admin.display(description="số bản đánh giá")
    def assessment_count(self, obj):
        return obj.assessments.count()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(scope__in=units_visible_to(request.user))

    def has_change_permission(self, request, obj=None):
        # A published year is part of the published record: its dates and settings stay as published.
        return not (obj is not None and obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_published) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.assessments.exists():
            # The scores of opened assessments belong to this set's items and this scope's communes.
            fields += ["criteria_set", "scope", "year"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "scope":
            kwargs["queryset"] = units_visible_to(request.user).filter(kind__in=PROVINCE_KINDS)
        if db_field.name == "criteria_set":
            kwargs["queryset"] = criteria_sets_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description="Mở kỳ đánh giá: tạo bản đánh giá cho các xã trong phạm vi")
    def open_years(self, request, queryset):
        for year in queryset:
            if not self.has_change_permission(request, year):
                raise PermissionDenied
            try:
                created = evaluation_year_open(year=year)
            except YearError as exc:
                messages.error(request, exc.message)
                continue
            messages.success(request, f"{year}: đã tạo {created} bản đánh giá mới "
                                      f"(tổng {year.assessments.count()}).")


# --- Assessments and what hangs off them (read-mostly) -----------------------------------------

class VisibleAssessmentsMixin:
    """Limits the admin's rows to assessments the user may see; `assessment_path` leads from the
    model to its assessment."""

    assessment_path = "assessment"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.assessment_path}__in": _visible_assessment_ids(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assessment":
            kwargs["queryset"] = assessments_visible_to(request.user).exclude(status__in=FROZEN_STATUSES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _assessment_of(self, obj):
        target = obj
        for part in self.assessment_path.split("__"):
            target = getattr(target, part)
        return target

    def _frozen(self, obj):
        # Approved and published results are frozen: what proves them cannot be changed here either
        # (the reopen transition is the one way back).
        return obj is not None and self._assessment_of(obj).status in FROZEN_STATUSES

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # An add form posts an assessment id: the choices exclude frozen ones, and a forged id stops here.
        if self._frozen(obj):
            raise PermissionDenied("Kết quả đã được phê duyệt hoặc công bố: không thể thay đổi.")
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset):
        frozen = queryset.filter(**{f"{self.assessment_path}__status__in": FROZEN_STATUSES})
        if frozen.exists():
            messages.error(request, f"Không xóa {frozen.count()} mục thuộc kết quả đã phê duyệt hoặc công bố.")
        super().delete_queryset(request, queryset.exclude(pk__in=frozen.values("pk")))


class ReadOnlyInline(NumberFieldsAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ("item", "max_points", "self_score", "not_applicable", "appraised_score", "round2_score", "flagged")
    readonly_fields = fields
    ordering = ("item__sort_key",)


class ApprovalEventInline(ReadOnlyInline):
    model = ApprovalEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "comment")
    readonly_fields = fields
    show_change_link = False


@admin.register(Assessment)
class AssessmentAdmin(NumberFieldsAdminMixin, admin.ModelAdmin):
    """Read-mostly: the status and its dates move only through the workflow services."""

    list_display = ("unit", "year", "status", "submitted_at", "appraised_at", "published_at", "is_illustrative")
    list_filter = ("status", "year", "is_illustrative")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "year", "year__scope")
    inlines = [ScoreInline, ApprovalEventInline]
    readonly_fields = ("year", "unit", "status", "version", "submitted_at", "appraisal_started_at", "returned_at",
                       "explained_at", "appraised_at", "approved_at", "published_at", "leader_approved_at",
                       "bonus_points", "penalty_points", "created_at", "updated_at",
                       # Given only by issuing the report (reports.services.report_issue).
                       "report_number", "report_date")
    fieldsets = (
        (None, {"fields": ("year", "unit", "status", "version", "is_illustrative")}),
        ("Quá trình xử lý", {"classes": ("collapse",), "fields": (
            "submitted_at", "appraisal_started_at", "returned_at", "explained_at", "appraised_at", "approved_at",
            "published_at", "leader_approved_at", "created_at", "updated_at")}),
        ("Điểm thưởng, điểm trừ", {"fields": ("bonus_points", "penalty_points")}),
        ("Kế hoạch CCHC năm", {"fields": ("plan_number", "plan_date", "documents_declared")}),
        ("Điểm từng tiêu chí", {"fields": ("item_scores_basis",)}),
        ("Nội dung báo cáo", {"fields": ("strengths", "weaknesses", "proposals", "report_request",
                                         "report_request_subject", "report_number", "report_date",
                                         "report_addressee", "signatory")}),
    )

    def get_queryset(self, request):
        return assessments_visible_to(request.user) if not request.user.is_superuser \
            else super().get_queryset(request)

    def has_add_permission(self, request):
        # Opening a year creates the assessments; communes never create their own.
        return False

    def has_change_permission(self, request, obj=None):
        frozen = obj is not None and obj.status in FROZEN_STATUSES
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        frozen = obj is not None and obj.status in FROZEN_STATUSES
        return not frozen and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        frozen = queryset.filter(status__in=FROZEN_STATUSES)
        if frozen.exists():
            messages.error(request, f"Không xóa {frozen.count()} bản đánh giá đã phê duyệt hoặc công bố.")
        super().delete_queryset(request, queryset.exclude(pk__in=frozen.values("pk")))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "signatory":
            kwargs["queryset"] = db_field.related_model.objects.filter(unit__in=units_visible_to(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Score)
class ScoreAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    """Read-only here: scores change on the score sheet and the appraisal sheet, which check the
    stage, the deadline and the assessment's version, and keep the history."""

    list_display = ("assessment", "item", "max_points", "self_score", "not_applicable", "appraised_score",
                    "round2_score", "flagged")
    list_filter = ("assessment__year", "flagged", "not_applicable", "assessment__status")
    search_fields = ("assessment__unit__name", "item__code", "item__name")
    list_select_related = ("assessment__unit", "assessment__year", "item")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    """Files arrive through the upload service (type check, hash); here they are listed and renamed."""

    list_display = ("original_name", "assessment", "size", "content_type", "uploaded_by", "uploaded_at")
    list_filter = ("assessment__year", "content_type")
    search_fields = ("original_name", "sha256", "assessment__unit__name")
    readonly_fields = ("assessment", "file", "sha256", "size", "content_type", "uploaded_by", "uploaded_at")
    list_select_related = ("assessment__unit", "assessment__year", "uploaded_by")

    def has_add_permission(self, request):
        return False


@admin.register(Evidence)
class EvidenceAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    assessment_path = "score__assessment"
    list_display = ("score", "file", "document", "locator", "stage", "added_by", "added_at")
    list_filter = ("stage", "score__assessment__year")
    search_fields = ("locator", "file__original_name", "document__number_symbol", "score__item__code")
    readonly_fields = ("score", "file", "document", "stage", "added_by", "added_at")
    list_select_related = ("score__assessment__unit", "score__item", "file", "document", "added_by")

    def has_add_permission(self, request):
        return False


@admin.register(Document)
class DocumentAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    list_display = ("number_symbol", "doc_type", "issued_on", "summary", "assessment", "is_illustrative")
    list_filter = ("doc_type", "assessment__year", "is_illustrative")
    search_fields = ("number_symbol", "summary", "assessment__unit__name")
    list_select_related = ("assessment__unit", "assessment__year")
    date_hierarchy = "issued_on"


@admin.register(PlanTask)
class PlanTaskAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    list_display = ("order", "content", "assessment", "status", "deadline", "completed_on")
    list_filter = ("status", "assessment__year")
    search_fields = ("content", "lead", "assessment__unit__name")
    list_select_related = ("assessment__unit", "assessment__year")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = Item.objects.filter(level=ItemLevel.AREA).select_related("criteria_set")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    list_display = ("held_on", "kind", "title", "assessment")
    list_filter = ("kind", "assessment__year")
    search_fields = ("title", "document", "assessment__unit__name")
    list_select_related = ("assessment__unit", "assessment__year")


@admin.register(ServiceFigures)
class ServiceFiguresAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    list_display = ("assessment", "period_start", "period_end", "dossiers_received", "dossiers_online",
                    "online_rate_published", "digitised_rate_published")
    list_filter = ("assessment__year",)
    search_fields = ("assessment__unit__name",)
    list_select_related = ("assessment__unit", "assessment__year")


@admin.register(ApprovalEvent)
class ApprovalEventAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    """The workflow's history: never edited."""

    list_display = ("at", "assessment", "action", "from_status", "to_status", "actor")
    list_filter = ("action", "to_status", "assessment__year")
    search_fields = ("assessment__unit__name", "comment", "actor__username")
    list_select_related = ("assessment__unit", "assessment__year", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LockExceptionForm(forms.ModelForm):
    """Granting goes through workflow.lock_exception_grant (which also writes the history); the
    form only puts its refusals next to the fields."""

    actor = None

    class Meta:
        model = LockException
        fields = ("assessment", "stage", "until", "reason")

    def clean(self):
        cleaned = super().clean()
        assessment, until = cleaned.get("assessment"), cleaned.get("until")
        if assessment is not None and not self.actor.has_perm("parindex.grant_lock_exception", assessment):
            self.add_error("assessment", "Chỉ quản trị cấp tỉnh được gia hạn cho đơn vị này.")
        if until is not None and until <= timezone.now():
            self.add_error("until", "Thời điểm gia hạn phải ở tương lai.")
        if assessment is not None and assessment.status == AssessmentStatus.PUBLISHED:
            self.add_error("assessment", "Kết quả đã được công bố: không thể gia hạn.")
        return cleaned


@admin.register(LockException)
class LockExceptionAdmin(NumberFieldsAdminMixin, VisibleAssessmentsMixin, admin.ModelAdmin):
    form = LockExceptionForm
    list_display = ("assessment", "stage", "until", "reason", "granted_by", "granted_at")
    list_filter = ("stage", "assessment__year")
    search_fields = ("assessment__unit__name", "reason")
    list_select_related = ("assessment__unit", "assessment__year", "granted_by")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        # An exception is a dated decision on the record: revoke it (delete) and grant a new one.
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            granted = lock_exception_grant(assessment=obj.assessment, actor=request.user, stage=obj.stage,
                                           until=obj.until, reason=obj.reason)
        except WorkflowError as exc:
            # The form has already checked these; a refusal here is a race (published meanwhile).
            raise PermissionDenied(exc.message) from None
        obj.pk = granted.pk
        obj._state.adding = False
