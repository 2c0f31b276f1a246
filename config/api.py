"""API-wide pieces: pagination and the uniform JSON error body."""

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import DomainError

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    """Page-number pagination; the client may ask for up to 500 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 500


def _error_body(
    *, status_code: int, code: str, detail: str, errors: dict | list | None = None
) -> dict:
    body = {"status": status_code, "code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turn every refused request into ``{"status", "code", "detail", "errors"?}``.

    Domain errors and Django's own exceptions raised in services map to 4xx; anything else is
    left to Django (a 500, logged) because it is a bug, not bad input.
    """
    if isinstance(exc, DomainError):
        return Response(
            _error_body(status_code=exc.status_code, code=exc.code, detail=exc.message),
            status=exc.status_code,
        )
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
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
