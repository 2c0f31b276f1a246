"""API-wide pieces: pagination, the uniform JSON error body and its schema, JSON 400/403/404/500."""

import logging

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    BadRequest,
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from common.errors import DomainError
from common.parsers import RequestTooLarge

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    """Page-number pagination; the client may ask for up to 500 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 500


API_PATH_PREFIX = "/api/"


class ErrorSerializer(serializers.Serializer):
    """The body of every refused request: what went wrong, for a program and for a person."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `not_found`.")
    detail = serializers.CharField(help_text="A human-readable explanation.")
    errors = serializers.DictField(
        required=False,
        help_text="Field errors: field name (or `non_field_errors`) to a list of messages.",
    )


def _error_body(
    *, status_code: int, code: str, detail: str, errors: dict | list | None = None
) -> dict:
    """Build the uniform error body; ``errors`` is left out when there are none."""
    body = {"status": status_code, "code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def _bad_request_body(exc: Exception) -> dict:
    """The error body of a request Django refused while reading it: too big (413), else 400.

    Django's ``SuspiciousOperation`` and ``BadRequest`` (a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields, a malformed multipart body…) would
    otherwise answer its HTML "Bad Request (400)" page.
    """
    if isinstance(exc, RequestDataTooBig):
        return _error_body(
            status_code=RequestTooLarge.status_code,
            code=RequestTooLarge.default_code,
            detail=str(RequestTooLarge.default_detail),
        )
    return _error_body(
        status_code=400, code="bad_request", detail=str(_("The request could not be read."))
    )


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turn every refused request into ``{"status", "code", "detail", "errors"?}``.

    Domain errors and Django's own exceptions raised in services map to 4xx; anything else is
    left to Django (a 500, logged) because it is a bug, not bad input.
    """
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(
            _error_body(status_code=exc.status_code, code=exc.code, detail=exc.message),
            status=exc.status_code,
        )
    if isinstance(exc, (SuspiciousOperation, BadRequest)):
        set_rollback()
        if isinstance(exc, SuspiciousOperation):
            # Django logs these to django.security; an API refusal must leave the same trace.
            logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(
                "%s: %s", exc, context["request"].path if context.get("request") else ""
            )
        body = _bad_request_body(exc)
        return Response(body, status=body["status"])
    if isinstance(exc, (ProtectedError, RestrictedError)):
        set_rollback()
        return Response(
            _error_body(
                status_code=409,
                code="protected",
                detail=str(_("The object is still referenced by other records.")),
            ),
            status=409,
        )
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        if NON_FIELD_ERRORS in errors:
            errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(errors)
    elif isinstance(exc, (Http404, ObjectDoesNotExist)):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = _error_body(
            status_code=response.status_code,
            code="invalid",
            detail=str(_("Invalid input.")),
            errors=errors,
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = _error_body(status_code=response.status_code, code=code, detail=str(detail))
    return response


def handler400(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Django could not read, under /api/: the JSON error body (413 when too big)."""
    if request.path.startswith(API_PATH_PREFIX):
        body = _bad_request_body(exception)
        return JsonResponse(body, status=body["status"])
    return defaults.bad_request(request, exception)


def handler403(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A refusal outside DRF's views, under /api/: the JSON error body; else Django's page."""
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse(
            _error_body(
                status_code=403,
                code="permission_denied",
                detail=str(_("You do not have permission to perform this action.")),
            ),
            status=403,
        )
    return defaults.permission_denied(request, exception)


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Unknown URLs under /api/ answer the JSON error body; other URLs get Django's page."""
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse(
            _error_body(status_code=404, code="not_found", detail=str(_("Not found."))),
            status=404,
        )
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    """A crash under /api/ answers the JSON error body (never a traceback); else Django's page."""
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse(
            _error_body(
                status_code=500, code="server_error", detail=str(_("A server error occurred."))
            ),
            status=500,
        )
    return defaults.server_error(request)


# Integer bounds Django derives from the database's column types (SQLite's are 64-bit for every
# integer field, PostgreSQL's follow the column), minimum first.
_DATABASE_INTEGER_BOUNDS = {
    32767: -32768,
    2147483647: -2147483648,
    9223372036854775807: -9223372036854775808,
}


def strip_database_integer_bounds(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: leave out integer bounds that only reflect the database's types.

    They differ between SQLite and PostgreSQL, so the committed schema would depend on where it
    was generated. The bounds are still enforced: a value out of range answers 400.
    """

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "integer" and node.get("maximum") in _DATABASE_INTEGER_BOUNDS:
                maximum = node.pop("maximum")
                if node.get("minimum") == _DATABASE_INTEGER_BOUNDS[maximum]:
                    node.pop("minimum")
                if node.get("format") in ("int32", "int64"):
                    node.pop("format")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
