"""The options a searching select offers (``common.widgets.SearchSelect``), as JSON.

The rule: whoever may view items searches the items picker, whoever may view partners the
partners picker. Every role shown a form with a picker holds that view permission (its
``roles.py``); a caller without it gets a 403 whose ``detail`` the picker shows, not an empty
list that says nothing.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from erp_core.masterdata import selectors
from erp_core.models import Item, Partner

OPTIONS_LIMIT = 50


def _may_search(permission: str, what: Callable[[], str]) -> Callable:
    """Let through those holding ``permission``; answer the others a JSON 403 saying why."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> JsonResponse:
            if not request.user.has_perm(permission):
                detail = _("Your role may not look up %(what)s: ask an administrator.") % {
                    "what": what()
                }
                return JsonResponse({"results": [], "detail": detail}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _options(objects) -> JsonResponse:
    return JsonResponse({"results": [{"value": obj.pk, "text": str(obj)} for obj in objects]})


@require_GET
@login_required
@_may_search("erp_core.view_item", lambda: _("items"))
def item_options(request: HttpRequest) -> JsonResponse:
    """Active items matching ``q`` by code, name, specification, barcode or pinyin initials;
    ``type`` (repeatable) limits the item types, ``make_or_buy`` to made or bought items,
    ``stocked=1`` leaves services out."""
    items = selectors.item_list(search=request.GET.get("q", "").strip()[:100]).filter(
        is_active=True
    )
    types = [value for value in request.GET.getlist("type") if value]
    if types:
        items = items.filter(item_type__in=types)
    if request.GET.get("stocked"):
        items = items.exclude(item_type=Item.ItemType.SERVICE)
    if request.GET.get("make_or_buy"):
        items = items.filter(make_or_buy=request.GET["make_or_buy"])
    return _options(items[:OPTIONS_LIMIT])


@require_GET
@login_required
@_may_search("erp_core.view_partner", lambda: _("partners"))
def partner_options(request: HttpRequest) -> JsonResponse:
    """Active partners matching ``q`` by code, name or tax id; ``role=customer`` or
    ``role=supplier`` keeps those we sell to or buy from (partners of both kinds included)."""
    partners = selectors.partner_list(
        user=request.user, search=request.GET.get("q", "").strip()[:100]
    ).filter(is_active=True)
    role = request.GET.get("role")
    if role == "customer":
        partners = partners.filter(kind__in=(Partner.Kind.CUSTOMER, Partner.Kind.BOTH))
    elif role == "supplier":
        partners = partners.filter(kind__in=(Partner.Kind.SUPPLIER, Partner.Kind.BOTH))
    return _options(partners[:OPTIONS_LIMIT])
