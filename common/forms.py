"""Form mixins and fields shared by every staff page."""

from decimal import Decimal

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils import formats

from common.numbers import parse_decimal


class BootstrapFormMixin:
    """Give every widget its Bootstrap class, and mark the fields that have errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            widget = form_field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class KeepWhenEmptyMixin:
    """Fields in ``keep_when_empty`` may be left empty: they then keep the object's value
    (its default for a new object), so a form that omits them changes nothing."""

    keep_when_empty: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.keep_when_empty:
            self.fields[name].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.keep_when_empty:
            if cleaned.get(name) in (None, "") and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class DecimalNumberField(forms.DecimalField):
    """A decimal form field that checks with ``common.numbers.parse_decimal``, so a page
    answers a bad number with the same message as the API and the services.

    Takes Django's ``max_digits``, ``decimal_places``, ``min_value`` and ``max_value``; for a
    model field, ``model_field.formfield(form_class=DecimalNumberField)``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # parse_decimal checks the digits and the bounds itself, with its own messages.
        replaced = (
            validators.DecimalValidator,
            validators.MinValueValidator,
            validators.MaxValueValidator,
        )
        self.validators = [v for v in self.validators if not isinstance(v, replaced)]

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        if self.localize and isinstance(value, str):
            value = formats.sanitize_separators(value)
        return parse_decimal(
            value,
            max_digits=self.max_digits,
            decimal_places=self.decimal_places,
            min_value=self.min_value,
            max_value=self.max_value,
        )

    def validate(self, value) -> None:
        forms.Field.validate(self, value)


def show_refusal(form: forms.BaseForm, error: Exception) -> None:
    """Put a service's refusal on the form: each field's errors beside that field when the
    form has it, the rest (a conflict, a message without a field) above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, str(error))
