"""Admin for units and accounts. A province administrator (staff through membership_grant) sees
only the units, accounts and roles of their province: every queryset here goes through the
visibility selector, and every unit they may pick is one they administer."""

import base64

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from parindex.forms.fields import NumberFieldsAdminMixin

from .forms import AccountCreationForm, AccountImportForm, MembershipAdminForm, UnitAdminForm
from .models import PROVINCE_KINDS, Membership, Recipient, Role, Signatory, Unit, UnitLineage
from .selectors import units_visible_to
from .services import (
    IMPORT_COLUMNS,
    AccountImportError,
    account_import_template_xlsx,
    accounts_export_xlsx,
    accounts_import_xlsx,
    actor_may_manage_unit,
    membership_grant,
    unit_descendant_paths_update,
    user_admin_access_sync,
)

User = get_user_model()

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bound(form_class, actor):
    """The form class with the acting user attached, for checks that depend on who acts."""
    return type(form_class.__name__, (form_class,), {"actor": actor})


class ProvinceFilter(admin.SimpleListFilter):
    title = "tỉnh"
    parameter_name = "tinh"
    path_field = "path"

    def lookups(self, request, model_admin):
        provinces = units_visible_to(request.user).filter(kind__in=PROVINCE_KINDS)
        return [(p.code, p.display_name) for p in provinces]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        province = units_visible_to(request.user).filter(code=self.value()).first()
        if province is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path_field}__startswith": province.path}).distinct()


class MembershipProvinceFilter(ProvinceFilter):
    path_field = "unit__path"


class UserProvinceFilter(ProvinceFilter):
    path_field = "memberships__unit__path"


class UserRoleFilter(admin.SimpleListFilter):
    title = "vai trò"
    parameter_name = "vai_tro"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(memberships__role=self.value()).distinct()
        return queryset


# --- Units ----------------------------------------------------------------------------------

class LineageInline(NumberFieldsAdminMixin, admin.TabularInline):
    model = UnitLineage
    fk_name = "successor"
    extra = 0
    autocomplete_fields = ["predecessor"]
    verbose_name = "đơn vị cũ hợp nhất vào đơn vị này"
    verbose_name_plural = "sắp xếp, hợp nhất: các đơn vị cũ"


class SignatoryInline(NumberFieldsAdminMixin, admin.TabularInline):
    model = Signatory
    extra = 0


class RecipientInline(NumberFieldsAdminMixin, admin.TabularInline):
    model = Recipient
    extra = 0


@admin.register(Unit)
class UnitAdmin(NumberFieldsAdminMixin, admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ("tree_name", "code", "kind", "valid_from", "valid_to", "is_illustrative")
    list_display_links = ("tree_name",)
    list_filter = ("kind", ProvinceFilter, "is_illustrative")
    search_fields = ("name", "code")
    ordering = ("path",)
    list_per_page = 200
    autocomplete_fields = ["parent"]
    inlines = [LineageInline, SignatoryInline, RecipientInline]

    @admin.display(description="đơn vị", ordering="path")
    def tree_name(self, obj):
        depth = max(obj.path.count("/") - 2, 0)
        return format_html("{}{}", "\u00a0\u00a0\u00a0\u00a0" * depth, obj.display_name)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=units_visible_to(request.user).values("pk"))

    def get_form(self, request, obj=None, **kwargs):
        return _bound(super().get_form(request, obj, **kwargs), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = units_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_manage(self, request, obj):
        return obj is None or actor_may_manage_unit(actor=request.user, unit=obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A province administrator keeps their own province: deleting it would orphan the tree.
        if obj is not None and not request.user.is_superuser and obj.kind in PROVINCE_KINDS:
            return False
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def save_model(self, request, obj, form, change):
        old_path = Unit.objects.filter(pk=obj.pk).values_list("path", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if old_path:
            unit_descendant_paths_update(unit=obj, old_path=old_path)


# --- Accounts and roles ------------------------------------------------------------------------

class MembershipInline(NumberFieldsAdminMixin, admin.TabularInline):
    model = Membership
    form = MembershipAdminForm
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["unit"]
    fields = ("unit", "role", "title", "phone")
    verbose_name = "vai trò"
    verbose_name_plural = "vai trò và đơn vị"

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _bound(self.form, request.user)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = units_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(NumberFieldsAdminMixin, UserAdmin):
    add_form = AccountCreationForm
    change_list_template = "admin/communes/user_change_list.html"
    inlines = [MembershipInline]
    list_display = ("username", "full_name", "email", "roles", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", UserRoleFilter, UserProvinceFilter, "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "memberships__unit__name",
                     "memberships__unit__code")
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "email")}),
        ("Vai trò đầu tiên", {"fields": ("unit", "role")}),
    )
    limited_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("first_name", "last_name", "email")}),
        ("Trạng thái", {"fields": ("is_active",)}),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )

    @admin.display(description="họ và tên")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description="vai trò")
    def roles(self, obj):
        return "; ".join(f"{m.get_role_display()} — {m.unit.display_name}" for m in obj.memberships.all())

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("memberships__unit")
        if request.user.is_superuser:
            return qs
        visible = units_visible_to(request.user).values("pk")
        return qs.filter(is_superuser=False).filter(
            pk__in=Membership.objects.filter(unit__in=visible).values("user_id")
        )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return self.limited_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return ("last_login", "date_joined")
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        # The first role is part of the add form; more are added on the change page.
        return self.inlines if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return _bound(form, request.user) if obj is None else form

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        # Only accounts wholly inside the province: an account that also acts elsewhere is
        # managed by whoever administers all of its units.
        units = [m.unit for m in obj.memberships.all()]
        return not obj.is_superuser and all(actor_may_manage_unit(actor=request.user, unit=u) for u in units)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj) and self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and form.cleaned_data.get("unit") and form.cleaned_data.get("role"):
            membership_grant(user=obj, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_admin_access_sync(user=form.instance)

    # Bulk creation from Excel.

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("tao-hang-loat/", self.admin_site.admin_view(self.import_view), name=f"{prefix}_import"),
            path("tao-hang-loat/mau.xlsx", self.admin_site.admin_view(self.import_template_view),
                 name=f"{prefix}_import_template"),
        ] + super().get_urls()

    def _check_import_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def import_template_view(self, request):
        self._check_import_permission(request)
        response = HttpResponse(account_import_template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-tai-khoan.xlsx"'
        return response

    def import_view(self, request):
        self._check_import_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Tạo tài khoản hàng loạt từ Excel",
            "columns": IMPORT_COLUMNS.values(),
            "template_url": reverse("admin:auth_user_import_template"),
            "errors": [],
        }
        if request.method == "POST":
            form = AccountImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = accounts_import_xlsx(source=form.cleaned_data["source"], actor=request.user)
                except AccountImportError as exc:
                    context["errors"] = exc.errors
                else:
                    for account in result.accounts:
                        user = User.objects.get(username=account.username)
                        self.log_addition(request, user, [{"added": {}}])
                    messages.success(request, f"Đã tạo {len(result.accounts)} tài khoản.")
                    # The passwords are shown in this response only: admin_view marks it no-store,
                    # and the download is embedded in the page rather than kept on the server.
                    download = base64.b64encode(accounts_export_xlsx(accounts=result.accounts)).decode()
                    context.update(result=result, download=f"data:{XLSX_TYPE};base64,{download}")
                    return TemplateResponse(request, "admin/communes/account_import_done.html", context)
        else:
            form = AccountImportForm()
        context["form"] = form
        return TemplateResponse(request, "admin/communes/account_import.html", context)


@admin.register(Membership)
class MembershipAdmin(NumberFieldsAdminMixin, admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "user_full_name", "role", "unit", "title", "phone")
    list_filter = ("role", MembershipProvinceFilter)
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name", "unit__code")
    autocomplete_fields = ["user", "unit"]
    list_select_related = ("user", "unit")

    @admin.display(description="họ và tên")
    def user_full_name(self, obj):
        return obj.user.get_full_name()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit__in=units_visible_to(request.user)).filter(~Q(user__is_superuser=True))

    def get_form(self, request, obj=None, **kwargs):
        return _bound(super().get_form(request, obj, **kwargs), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = units_visible_to(request.user)
        elif db_field.name == "user" and not request.user.is_superuser:
            # The accounts the account list shows: a role given to any other account (one without
            # roles, of another province, a superuser) would bring it under this administrator.
            visible = units_visible_to(request.user).values("pk")
            kwargs["queryset"] = User.objects.filter(is_superuser=False).filter(
                pk__in=Membership.objects.filter(unit__in=visible).values("user_id")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_manage(self, request, obj):
        return obj is None or actor_may_manage_unit(actor=request.user, unit=obj.unit)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def save_model(self, request, obj, form, change):
        previous_user_id = Membership.objects.filter(pk=obj.pk).values_list("user_id", flat=True).first()
        super().save_model(request, obj, form, change)
        user_admin_access_sync(user=obj.user)
        if previous_user_id and previous_user_id != obj.user_id:
            user_admin_access_sync(user=User.objects.get(pk=previous_user_id))

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        user_admin_access_sync(user=user)

    def delete_queryset(self, request, queryset):
        users = list(User.objects.filter(pk__in=queryset.values("user_id")))
        super().delete_queryset(request, queryset)
        for user in users:
            user_admin_access_sync(user=user)
