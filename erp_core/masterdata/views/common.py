"""What the ERP core's staff pages share: the module permission, paging, form helpers."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest

ERP = "erp_core.access_erp"
ROWS_PER_PAGE = 25


def changed_fields(form, instance) -> dict:
    """The fields whose cleaned value differs from the saved object's, for an ``_update``."""
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if name in form.cleaned_data and form.cleaned_data[name] != getattr(instance, name)
    }


def show_refusal(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def search_text(request: HttpRequest) -> str:
    """The list's search (``q``), without surrounding blanks."""
    return request.GET.get("q", "").strip()
