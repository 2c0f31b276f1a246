"""Staff pages of the ERP core: the home page and partners.

Views only call selectors (reads) and services (writes); forms validate and display errors.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from common.history import history_rows
from common.htmx import wants_partial
from erp_core.masterdata import selectors, services
from erp_core.masterdata.forms import PartnerForm
from erp_core.masterdata.views.common import changed_fields

PARTNERS_PER_PAGE = 25


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_partner"], raise_exception=True)
@vary_on_headers("HX-Request")
def partner_list(request: HttpRequest) -> HttpResponse:
    """Partners, searched by code, name or tax id (``q``), a page at a time."""
    search = request.GET.get("q", "").strip()
    partners = selectors.partner_list(user=request.user, search=search)
    page_obj = Paginator(partners, PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "erp_core/partials/partner_table.html"
        if wants_partial(request)
        else "erp_core/partner_list.html"
    )
    return render(request, template, {"page_obj": page_obj, "q": search})


@login_required
@permission_required(["erp_core.access_erp", "erp_core.view_partner"], raise_exception=True)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One partner and its change history: who changed which field, when."""
    partner = get_object_or_404(selectors.partner_list(user=request.user), pk=pk)
    return render(
        request,
        "erp_core/partner_detail.html",
        {"partner": partner, "history": history_rows(partner)},
    )


@login_required
@permission_required(["erp_core.access_erp", "erp_core.add_partner"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    """Create a partner: the form validates, ``partner_create`` saves."""
    form = PartnerForm(request.POST) if request.method == "POST" else PartnerForm()
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Partner %(partner)s was created.") % {"partner": partner})
            return redirect("erp_core:partner-detail", pk=partner.pk)
    return render(request, "erp_core/partner_form.html", {"form": form, "partner": None})


@login_required
@permission_required(["erp_core.access_erp", "erp_core.change_partner"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a partner: only the fields that changed go to ``partner_update``."""
    partner = get_object_or_404(selectors.partner_list(user=request.user), pk=pk)
    if request.method != "POST":
        form = PartnerForm(instance=partner)
    else:
        # The form validates a copy: a refused edit must not show its values as the partner's.
        form = PartnerForm(request.POST, instance=copy(partner))
        if form.is_valid():
            changed = changed_fields(form, partner)
            try:
                if changed:
                    partner = services.partner_update(partner=partner, **changed)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if changed:
                    messages.success(
                        request, _("Partner %(partner)s was saved.") % {"partner": partner}
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("erp_core:partner-detail", pk=partner.pk)
    return render(request, "erp_core/partner_form.html", {"form": form, "partner": partner})
