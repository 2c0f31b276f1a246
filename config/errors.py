"""Error pages: under /api/ the JSON error body, elsewhere the product's layout in the reader's
language (400, 403, 404, 500).

The 500 page first renders with the request (menu and user); when that fails too — the
database is down, or the transaction is broken — it renders the same layout without the request,
which runs no context processor and so no query.
"""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults

from config import api

logger = logging.getLogger(__name__)

# The last resort when even the template cannot be rendered: no template, no translation lookup.
BARE_500 = (
    '<!doctype html><html><head><meta charset="utf-8"><title>500</title></head>'
    '<body><h1>500</h1><p><a href="/">Zhongtai 中台</a></p></body></html>'
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(api.API_PATH_PREFIX)


def handler400(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request the server cannot take (a bad header, a suspicious operation)."""
    if _is_api(request):
        return api.handler400(request, exception)
    return defaults.bad_request(request, exception)


def handler403(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A page the user's roles do not open."""
    if _is_api(request):
        return api.handler403(request, exception)
    return defaults.permission_denied(request, exception)


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown address or a record that no longer exists."""
    return api.handler404(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    """A crash: the JSON body under /api/, else the layout, with the menu when it can be had."""
    if _is_api(request):
        return api.handler500(request)
    template = loader.get_template("500.html")
    try:
        return HttpResponseServerError(template.render({}, request))
    except Exception:
        logger.warning("The 500 page could not use the request; shown without it", exc_info=True)
    try:
        return HttpResponseServerError(template.render({}))
    except Exception:
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError(BARE_500)
