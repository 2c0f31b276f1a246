"""What a topic is: a named, versioned event contract with typed payload fields.

A Topic knows its payload fields (and the fields of each of its lines) and checks every payload
published on it. Receivers are declared apart, with ``integration.receivers.on``.
"""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

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


def _check_schema(kind: object, where: str) -> None:
    if isinstance(kind, dict):
        if not kind:
            raise ValueError(f"{where}: a line schema needs at least one field.")
        for field, line_kind in kind.items():
            if isinstance(line_kind, dict):
                # A line may carry lines of its own (a shipment line's lots), checked the same way.
                _check_schema(line_kind, f"{where}: line field {field!r}")
            elif line_kind not in FIELD_KINDS or line_kind in ("list", "dict"):
                raise ValueError(f"{where}: line field {field!r} has unknown kind {line_kind!r}.")
    elif kind not in FIELD_KINDS:
        raise ValueError(f"{where} has unknown kind {kind!r}.")


def _problems(schema: dict, values: object, where: str) -> list[str]:
    """What is wrong with ``values`` against ``schema`` (field name → kind, ``?`` optional).

    A kind that is itself a schema (a dict) means a list of objects, each checked the same way.
    The schema is closed: a field it does not declare is refused.
    """
    if not isinstance(values, dict):
        return [f"{where or 'the payload'} must be a JSON object"]
    kinds = {name.rstrip("?"): kind for name, kind in schema.items()}
    required = {name for name in schema if not name.endswith("?")}
    prefix = f"{where}." if where else ""
    problems = [f"missing {prefix}{name}" for name in sorted(required - values.keys())]
    problems += [f"unknown {prefix}{name}" for name in sorted(values.keys() - kinds.keys())]
    for name, value in values.items():
        kind = kinds.get(name)
        if kind is None or (value is None and name not in required):
            continue
        if isinstance(kind, dict):
            if not isinstance(value, list):
                problems.append(f"{prefix}{name} (expected a list of lines)")
                continue
            for index, line in enumerate(value):
                problems += _problems(kind, line, f"{prefix}{name}[{index}]")
        elif not _check_kind(kind, value):
            problems.append(f"{prefix}{name} (expected {kind})")
    return problems


class Topic:
    """An event contract: ``<module>.<fact_in_past_tense>``, a version and its payload fields.

    ``fields`` maps a field name to its kind (see FIELD_KINDS); a name ending in ``?`` is optional
    and may also be null. A list of lines declares its lines' fields instead of a kind, e.g.
    ``"lines": {"item_id": "int", "quantity": "decimal", "lot_number?": "str"}``. Payloads and
    lines are closed: a field the contract does not declare is refused. Receivers are declared
    with ``integration.receivers.on``.
    """

    def __init__(
        self,
        name: str,
        *,
        fields: dict[str, str | dict[str, str]],
        version: int = 1,
        description: str = "",
    ) -> None:
        module, _, fact = name.partition(".")
        if not module or not fact or name != name.lower():
            raise ValueError(f"Topic name {name!r} must be '<module>.<fact_in_past_tense>'.")
        for field, kind in fields.items():
            _check_schema(kind, f"Topic {name}: field {field!r}")
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

    def line_fields(self, field: str = "lines") -> dict[str, str]:
        """The declared fields of each line of the list ``field`` (empty when it declares none)."""
        for name, kind in self.fields.items():
            if name.rstrip("?") == field and isinstance(kind, dict):
                return dict(kind)
        return {}

    def validate(self, payload: dict) -> None:
        """Raise PayloadError unless the payload, and each of its lines, has exactly the declared
        fields, of their kinds."""
        if not isinstance(payload, dict):
            raise PayloadError(f"{self.name}: the payload must be a JSON object.")
        problems = _problems(self.fields, payload, "")
        if problems:
            raise PayloadError(f"{self.name}: {'; '.join(problems)}.")
