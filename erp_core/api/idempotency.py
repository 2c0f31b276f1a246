"""``Idempotency-Key`` for create endpoints: a retried request gets the first answer.

A client that did not see the answer to a create (a timeout, a dropped connection) sends the
same request again with the same key and gets the stored answer instead of a second document.
The record is written in the create's transaction and the unique (user, key) constraint decides
between two concurrent identical requests: the loser answers with the winner's stored response,
or 409 when the winner's transaction is still open.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from common.errors import Conflict, Unprocessable
from erp_core.models import IDEMPOTENCY_TTL, IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


class _LenientEncoder(JSONEncoder):
    """DRF's JSON encoder that writes anything else (an uploaded file…) as its ``str()``."""

    def default(self, obj):
        """Fall back to ``str()`` where DRF's encoder gives up."""
        try:
            return super().default(obj)
        except TypeError:
            return str(obj)


def request_fingerprint(data) -> str:
    """SHA-256 of the request body, independent of key order, to spot a reused key."""
    if isinstance(data, QueryDict):
        data = {key: data.getlist(key) for key in data}
    canonical = json.dumps(data, cls=_LenientEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_json(data) -> object:
    """The response data as plain JSON values (decimals and dates as strings), for storage."""
    return json.loads(json.dumps(data, cls=_LenientEncoder))


def _stored(user, key: str) -> IdempotencyRecord | None:
    """The record of (user, key), finished or not."""
    return IdempotencyRecord.objects.filter(user=user, key=key).first()


class IdempotentCreateMixin:
    """Honour ``Idempotency-Key`` on ``create`` of a viewset; put it before ``ModelViewSet``.

    Without the header the create runs as usual. With it: the first request runs and its 2xx
    answer is stored; the same key and body again returns that answer (header
    ``Idempotent-Replayed: true``) without running the create; the same key with another body or
    endpoint is refused with 422. Failed creates store nothing, so they can be retried.
    """

    idempotent_actions = ("create",)

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Create once per (user, key); replay the stored answer for a repeat."""
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return super().create(request, *args, **kwargs)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError(
                {
                    IDEMPOTENCY_HEADER: [
                        _("Send between 1 and %(max)d characters.") % {"max": MAX_KEY_LENGTH}
                    ]
                }
            )
        user = request.user
        endpoint = f"{request.method} {request.path}"[:300]
        request_hash = request_fingerprint(request.data)

        IdempotencyRecord.objects.filter(
            user=user, key=key, created_at__lt=timezone.now() - IDEMPOTENCY_TTL
        ).delete()
        record = _stored(user, key)
        if record is not None:
            return self._replay(record, endpoint=endpoint, request_hash=request_hash)

        with transaction.atomic():
            try:
                # A savepoint: losing the race on the unique key must not spoil the transaction.
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user, key=key, endpoint=endpoint, request_hash=request_hash
                    )
            except IntegrityError:
                record = None
            if record is not None:
                response = super().create(request, *args, **kwargs)
                if status.is_success(response.status_code):
                    record.response_status = response.status_code
                    record.response_body = _as_json(response.data)
                    record.save(update_fields=["response_status", "response_body"])
                else:
                    record.delete()
                return response

        # Another request with this key won the insert: answer as it did, if it has finished.
        winner = _stored(user, key)
        if winner is None or winner.response_status is None:
            raise Conflict(
                _("A request with this Idempotency-Key is still being processed; retry later."),
                code="idempotency_in_flight",
            )
        return self._replay(winner, endpoint=endpoint, request_hash=request_hash)

    def _replay(self, record: IdempotencyRecord, *, endpoint: str, request_hash: str) -> Response:
        """The stored answer, or 422 when the key was first used for another request."""
        if record.endpoint != endpoint or record.request_hash != request_hash:
            raise Unprocessable(
                _("This Idempotency-Key was already used with a different request."),
                code="idempotency_key_reused",
            )
        if record.response_status is None:
            raise Conflict(
                _("A request with this Idempotency-Key is still being processed; retry later."),
                code="idempotency_in_flight",
            )
        return Response(
            record.response_body,
            status=record.response_status,
            headers={REPLAYED_HEADER: "true"},
        )
