"""What the ERP core's staff pages share: the module permission, paging, form helpers (a
service's refusal goes on a form with ``common.forms.show_refusal``)."""

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


def search_text(request: HttpRequest) -> str:
    """The list's search (``q``), without surrounding blanks."""
    return request.GET.get("q", "").strip()
