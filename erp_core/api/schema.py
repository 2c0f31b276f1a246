"""The OpenAPI schema class of the whole API: drf-spectacular's, plus the documented errors.

It lives apart from config.api because DRF imports config.api (the pagination class) while
loading its generic views, and drf-spectacular imports those views: one module would be a cycle.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter

from config.api import ErrorSerializer


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the error responses every operation can give.

    Each operation documents 400/401/403/404/429 with ``ErrorSerializer``; writes also 409,
    and those with a body 413 and 415. A read serializer declaring ``partner_fields`` requires
    only those: a partner user's answer leaves the others out.
    A view listing an action in ``idempotent_actions`` gets the ``Idempotency-Key`` header and
    the 422 answer for a key reused with another body.
    """

    _WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
    ERROR_DESCRIPTIONS = {
        "400": "Invalid input: `errors` maps each field to its messages.",
        "401": "No valid credentials: the token is missing, unknown, expired or revoked.",
        "403": "Authenticated, but the caller's role or partner may not do this.",
        "404": "No such object, or not one the caller may see.",
        "409": "The object's state forbids the change (e.g. still referenced).",
        "413": "The request body is larger than the server accepts.",
        "415": "The request body's content type is missing, not one listed, or malformed.",
        "422": "The Idempotency-Key was already used with a different request.",
        "429": "Too many requests: retry after the `Retry-After` header's seconds.",
    }

    def _is_idempotent_action(self) -> bool:
        """True when the view honours ``Idempotency-Key`` for this operation."""
        action = getattr(self.view, "action", None)
        return action is not None and action in getattr(self.view, "idempotent_actions", ())

    def get_override_parameters(self) -> list:
        """Add the optional ``Idempotency-Key`` header to idempotent operations."""
        parameters = list(super().get_override_parameters())
        if self._is_idempotent_action():
            parameters.append(
                OpenApiParameter(
                    name="Idempotency-Key",
                    type=str,
                    location=OpenApiParameter.HEADER,
                    required=False,
                    description=(
                        "A client-chosen unique key (at most 255 characters): sending the same "
                        "request again with the same key within 24 hours returns the first "
                        "response instead of creating a second object."
                    ),
                )
            )
        return parameters

    def _error_codes(self) -> list[str]:
        """The error statuses this operation may answer."""
        codes = ["400", "401", "403", "404", "429"]
        if self.method in self._WRITE_METHODS:
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.extend(("413", "415"))
        if self._is_idempotent_action():
            codes.append("422")
        return codes

    def _map_basic_serializer(self, serializer, direction: str) -> dict:
        """Fields outside a read serializer's ``partner_fields`` are not required: partner
        users are answered without them."""
        result = super()._map_basic_serializer(serializer, direction)
        partner_fields = getattr(serializer, "partner_fields", None)
        if partner_fields is not None and "required" in result:
            required = [name for name in result["required"] if name in partner_fields]
            if required:
                result["required"] = required
            else:
                del result["required"]
        return result

    def _get_response_bodies(self, direction: str = "response") -> dict:
        """The success responses drf-spectacular infers, plus the documented error responses."""
        responses = super()._get_response_bodies(direction=direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
                responses[code]["description"] = self.ERROR_DESCRIPTIONS[code]
        return responses
