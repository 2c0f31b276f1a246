"""What the sales pages share: the permission gate, error text, paging."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ERP = "erp_core.access_erp"
# Orders and deliveries are also the warehouse's business, whose staff work in WMS.
ORDER_MODULES = (ERP, "wms.access_wms")
PER_PAGE = 25


def staff_required(*perms: str, modules: tuple[str, ...] = ORDER_MODULES) -> Callable:
    """Signed in, one of ``modules`` (ERP or WMS access) and every one of ``perms``; else 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not any(user.has_perm(module) for module in modules) or not user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate
