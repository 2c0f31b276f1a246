"""What a topic is: a named, versioned event contract with typed payload fields.

A Topic is a Django signal, so receivers connect with ``@receiver(topic, dispatch_uid=...)``;
it also knows its payload fields and checks every payload published on it.
"""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.dispatch import Signal

# Field kinds a payload may carry. Money and quantities travel as decimal strings.
FIELD_KINDS = ("str", "int", "bool", "decimal", "uuid", "date", "datetime", "list", "dict")


class PayloadError(ValueError):
    """A payload does not match its topic's declared fields."""


def _check_kind(kind: str, value: object) -> bool:
    if value is None:
        return False
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "dict":
        return isinstance(value, dict)
    if not isinstance(value, str):
        return False
    try:
        if kind == "decimal":
            return Decimal(value).is_finite()
        if kind == "uuid":
            uuid.UUID(value)
        elif kind == "date":
            dt.date.fromisoformat(value)
        elif kind == "datetime":
            dt.datetime.fromisoformat(value)
    except (ValueError, InvalidOperation):
        return False
    return True


class Topic(Signal):
    """An event contract: ``<module>.<fact_in_past_tense>``, a version and its payload fields.

    ``fields`` maps a field name to its kind (see FIELD_KINDS); a name ending in ``?`` is optional.
    """

    def __init__(
        self, name: str, *, fields: dict[str, str], version: int = 1, description: str = ""
    ) -> None:
        super().__init__()
        module, _, fact = name.partition(".")
        if not module or not fact or name != name.lower():
            raise ValueError(f"Topic name {name!r} must be '<module>.<fact_in_past_tense>'.")
        for field, kind in fields.items():
            if kind not in FIELD_KINDS:
                raise ValueError(f"Topic {name}: field {field!r} has unknown kind {kind!r}.")
        self.name = name
        self.version = version
        self.fields = dict(fields)
        self.description = description

    def __repr__(self) -> str:
        return f"<Topic {self.name} v{self.version}>"

    @property
    def required_fields(self) -> set[str]:
        """Field names every payload must carry."""
        return {name for name in self.fields if not name.endswith("?")}

    def _kinds(self) -> dict[str, str]:
        return {name.rstrip("?"): kind for name, kind in self.fields.items()}

    def receivers_for(self, sender: type) -> list:
        """The live receivers connected for ``sender``, in connection order.

        The bus calls them one by one (rather than ``send_robust``) so that each receiver's
        outcome is booked on its own and a skipped duplicate is not logged as an error.
        """
        sync_receivers, _async_receivers = self._live_receivers(sender)
        return list(sync_receivers)

    def validate(self, payload: dict) -> None:
        """Raise PayloadError unless the payload has exactly the declared fields, of their kinds."""
        if not isinstance(payload, dict):
            raise PayloadError(f"{self.name}: the payload must be a JSON object.")
        kinds = self._kinds()
        missing = sorted(self.required_fields - payload.keys())
        unknown = sorted(payload.keys() - kinds.keys())
        if missing or unknown:
            raise PayloadError(f"{self.name}: missing fields {missing}, unknown fields {unknown}.")
        wrong = [
            f"{name} (expected {kinds[name]})"
            for name, value in payload.items()
            if not (value is None and name not in self.required_fields)
            and not _check_kind(kinds[name], value)
        ]
        if wrong:
            raise PayloadError(f"{self.name}: wrong values for {', '.join(wrong)}.")
