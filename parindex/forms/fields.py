"""Form fields for every figure a person types, all through the one parser (parindex.numbers):
counts take "3.000", "3 000" and "3000"; points take "6,5" and "6.5"; the messages say exactly what
is wrong, in Vietnamese, and nothing a person types can become a server error."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.text import capfirst

from parindex import numbers

from .widgets import DATE_MESSAGE, DateInput

# dd/mm/yyyy as typed (also with "-" or "."), and ISO yyyy-mm-dd as pasted or posted by older pages.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy (DateInput), whatever the browser's language, with one Vietnamese
    message for anything else. Years before 1900 are refused too: no date of this index is that old
    and strftime of older years differs between platforms."""

    widget = DateInput
    default_error_messages = {"invalid": DATE_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        value = super().to_python(value)
        if value is not None and value.year < 1900:
            raise ValidationError(DATE_MESSAGE, code="invalid")
        return value


class CountField(forms.CharField):
    """A whole number (a count of dossiers, an order). Bounded by `max_value`, by default the range of
    the database column, so an integer too large for the column is refused here, not by the database."""

    def __init__(self, *, min_value=0, max_value=numbers.INT_MAX, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("step_size", None)
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return numbers.parse_count(value, label=str(self.label or "Giá trị"), minimum=self.min_value,
                                       maximum=self.max_value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value):
        return value if isinstance(value, int) and not isinstance(value, bool) else super().prepare_value(value)


class PointsField(forms.CharField):
    """A decimal typed Vietnamese style ("95,39") or with a dot ("95.39"), from `min_value` to
    `max_value`, at most `decimal_places` decimals."""

    def __init__(self, *, min_value=0, max_value=None, decimal_places=2, **kwargs):
        for name in ("max_length", "max_digits", "localize"):
            kwargs.pop(name, None)
        self.min_value, self.max_value = numbers.to_decimal(min_value), numbers.to_decimal(max_value)
        self.decimal_places = decimal_places
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        label = str(self.label or "Giá trị")
        try:
            number = numbers.parse_points(value, label=label)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None
        typed = numbers.echo(value)
        if self.min_value is not None and number < self.min_value:
            message = (f"{label} “{typed}” không được âm." if self.min_value == 0
                       else f"{label} “{typed}” nhỏ hơn giá trị tối thiểu {numbers.display_points(self.min_value)}.")
            raise ValidationError(message, code="min_value")
        if numbers.decimal_places(number) > self.decimal_places:
            raise ValidationError(f"{label} “{typed}” có quá {self.decimal_places} chữ số thập phân.",
                                  code="max_decimal_places")
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(f"{label} “{typed}” vượt tối đa {numbers.display_points(self.max_value)}.",
                                  code="max_value")
        return number

    def prepare_value(self, value):
        # A stored Decimal is shown the way a person writes it ("95,39"); typed text comes back as typed.
        if isinstance(value, Decimal):
            return numbers.format_number(value, numbers.decimal_places(value), thousands=False)
        return super().prepare_value(value)


def _column_range(db_field):
    # The ranges of PostgreSQL's columns, whatever the database in use: SQLite stores any integer, and
    # a value it accepts in development must not be one PostgreSQL refuses in production.
    return BaseDatabaseOperations.integer_field_ranges[db_field.get_internal_type()]


def number_formfield(db_field, **kwargs):
    """The `formfield_callback` of the project's model forms (and the admin's): integer and decimal
    columns get the fields above, bounded by the column itself, dates the dd/mm/yyyy DateField;
    everything else is unchanged."""
    if db_field.choices or isinstance(db_field, (models.AutoField, models.BigAutoField, models.ForeignKey)):
        return db_field.formfield(**kwargs)
    common = {"label": kwargs.pop("label", None) or capfirst(db_field.verbose_name),
              "required": kwargs.pop("required", not db_field.blank),
              "help_text": kwargs.pop("help_text", db_field.help_text)}
    if "initial" in kwargs:
        common["initial"] = kwargs.pop("initial")
    elif db_field.has_default() and not callable(db_field.default):
        common["initial"] = db_field.default
    if isinstance(db_field, models.IntegerField):
        low, high = _column_range(db_field)
        return CountField(min_value=low, max_value=high, **common)
    if isinstance(db_field, models.DecimalField):
        whole = db_field.max_digits - db_field.decimal_places
        biggest = Decimal(10) ** whole - Decimal(1).scaleb(-db_field.decimal_places)
        # Every decimal column of the project holds points, rates or thresholds: none is negative.
        return PointsField(min_value=0, max_value=biggest,
                           decimal_places=db_field.decimal_places, **common)
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.pop("widget", None)
        return DateField(**common)
    return db_field.formfield(**kwargs)



class NumberFieldsAdminMixin:
    """For a ModelAdmin or an inline: the admin's number fields read what people type the way the
    app's pages do ("6,5" points, "3.000" dossiers), with the same Vietnamese messages. Django's own
    fields would refuse "6,5" and read "3.000" as three."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if (isinstance(db_field, (models.IntegerField, models.DecimalField)) and not db_field.choices
                and not isinstance(db_field, (models.AutoField, models.BigAutoField, models.SmallAutoField))):
            return number_formfield(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
