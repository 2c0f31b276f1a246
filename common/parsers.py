"""The API's request parsers: strict, bounded JSON, and forms bounded in size.

DRF's own JSON parser hands the body to ``json.loads`` unbounded: a body nested a thousand
levels deep raises ``RecursionError`` (a 500), and a body read straight from the socket skips
Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``. These parsers refuse both as bad input, so every
refusal is the API's JSON error body.
"""

import json
import re
from typing import IO, Any

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

#: The deepest nesting of arrays and objects a JSON body may have. Documents are three levels
#: deep (document, lines, a line's fields); 64 leaves room and keeps the parser far from
#: Python's recursion limit.
MAX_JSON_DEPTH = 64

# Strings may hold brackets; they are cut out before the brackets are counted.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")


class RequestTooLarge(APIException):
    """The body is larger than the server accepts (``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


def max_body_size() -> int | None:
    """The largest body accepted, in bytes; ``None`` when unbounded."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def read_bounded(stream: IO[bytes]) -> bytes:
    """Read the whole body, refusing one above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413)."""
    limit = max_body_size()
    if limit is None:
        return stream.read()
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise RequestTooLarge()
    return body


def json_depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (strings do not count)."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text))
    depth = deepest = 0
    for bracket in brackets:
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class JSONParser(parsers.JSONParser):
    """Strict JSON: bounded in size and depth, no ``NaN``/``Infinity``, valid UTF-8 only."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        """Parse the body; bad input is a 400 ``parse_error``, too big a 413."""
        if stream is None:
            return None
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = read_bounded(stream)
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            message = _("The body is not valid %(encoding)s.") % {"encoding": encoding}
            raise ParseError(message) from exc
        if json_depth(text) > MAX_JSON_DEPTH:
            message = _("JSON nested deeper than %(depth)d levels is refused.")
            raise ParseError(message % {"depth": MAX_JSON_DEPTH})
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from exc


class FormParser(parsers.FormParser):
    """URL-encoded forms (the interactive docs), bounded in size like JSON."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        """Parse the form; too big a body is a 413."""
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        return QueryDict(read_bounded(stream), encoding=encoding)
