from django import forms
from django.contrib.auth.forms import AdminUserCreationForm

from .models import COMMUNE_KINDS, DISTRICT_KINDS, PROVINCE_KINDS, Membership, Role, Unit
from .services import actor_may_manage_unit, role_unit_mismatch


class UnitAdminForm(forms.ModelForm):
    """Keeps the tree well formed: province → district → commune, or province → commune (two-tier),
    never a loop, and a province administrator only inside their own province."""

    actor = None  # set by the admin for each request

    class Meta:
        model = Unit
        fields = ["name", "kind", "code", "parent", "valid_from", "valid_to", "parent_name", "is_illustrative"]

    def clean(self):
        cleaned = super().clean()
        kind, parent = cleaned.get("kind"), cleaned.get("parent")
        if kind is None:
            return cleaned
        if kind in PROVINCE_KINDS:
            if parent is not None:
                self.add_error("parent", "Tỉnh, thành phố trực thuộc trung ương không có đơn vị cấp trên.")
        elif parent is None:
            self.add_error("parent", "Phải chọn đơn vị cấp trên.")
        elif kind in DISTRICT_KINDS and parent.kind not in PROVINCE_KINDS:
            self.add_error("parent", "Đơn vị cấp huyện phải trực thuộc một tỉnh.")
        elif kind in COMMUNE_KINDS and parent.kind not in (PROVINCE_KINDS | DISTRICT_KINDS):
            self.add_error("parent", "Đơn vị cấp xã phải trực thuộc một huyện hoặc một tỉnh (chính quyền hai cấp).")
        if parent is not None and self.instance.pk and parent.path.startswith(self.instance.path):
            self.add_error("parent", "Không thể chọn chính đơn vị này hoặc đơn vị cấp dưới của nó làm cấp trên.")
        actor = self.actor
        if actor is not None and not actor.is_superuser:
            if parent is None or not actor_may_manage_unit(actor=actor, unit=parent):
                self.add_error("parent", "Bạn chỉ được tạo, sửa đơn vị thuộc tỉnh mình quản trị.")
        return cleaned


class MembershipAdminForm(forms.ModelForm):
    """A role fits its unit (officers on communes, appraisers on districts…) and a province
    administrator grants roles only inside their province."""

    actor = None

    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "title", "phone"]

    def clean(self):
        cleaned = super().clean()
        unit, role = cleaned.get("unit"), cleaned.get("role")
        if unit is not None and role:
            reason = role_unit_mismatch(role=role, unit=unit)
            if reason:
                self.add_error("role", reason)
            if self.actor is not None and not actor_may_manage_unit(actor=self.actor, unit=unit):
                self.add_error("unit", "Bạn chỉ được giao vai trò cho đơn vị thuộc tỉnh mình quản trị.")
        return cleaned


class AccountCreationForm(AdminUserCreationForm):
    """A new account is created with its first role, so that a province administrator (who sees
    only the accounts of their province) keeps seeing it after saving."""

    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    email = forms.EmailField(label="Email", required=False)
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none(), required=False)
    role = forms.ChoiceField(label="Vai trò", choices=[("", "---------")] + Role.choices, required=False)

    actor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.actor is not None:
            from .selectors import units_visible_to

            self.fields["unit"].queryset = units_visible_to(self.actor)
            if not self.actor.is_superuser:
                self.fields["unit"].required = True
                self.fields["role"].required = True

    def clean(self):
        cleaned = super().clean()
        unit, role = cleaned.get("unit"), cleaned.get("role")
        if bool(unit) != bool(role):
            self.add_error("role" if unit else "unit", "Chọn cả đơn vị và vai trò, hoặc để trống cả hai.")
        elif unit and role:
            reason = role_unit_mismatch(role=role, unit=unit)
            if reason:
                self.add_error("role", reason)
            if self.actor is not None and not actor_may_manage_unit(actor=self.actor, unit=unit):
                self.add_error("unit", "Bạn chỉ được tạo tài khoản cho đơn vị thuộc tỉnh mình quản trị.")
        return cleaned

    def save(self, commit=True):
        from .services import split_full_name

        user = super().save(commit=False)
        full_name = (self.cleaned_data.get("full_name") or "").strip()
        user.first_name, user.last_name = split_full_name(full_name) if full_name else ("", "")
        user.email = self.cleaned_data.get("email") or ""
        if commit:
            user.save()
        return user


class AccountImportForm(forms.Form):
    source = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Dòng 1 là tiêu đề cột: Mã đơn vị, Tên đăng nhập, Họ và tên, Email, Vai trò, Mật khẩu.",
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_source(self):
        source = self.cleaned_data["source"]
        if not source.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel định dạng .xlsx.")
        if source.size > self.MAX_BYTES:
            raise forms.ValidationError("Tệp quá lớn (tối đa 5 MB).")
        return source
