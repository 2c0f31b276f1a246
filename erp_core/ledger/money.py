"""Money in the ledgers: ``Decimal`` rounded to the cent with ROUND_HALF_UP, never float.

The rule itself is ``common.numbers`` (``parse_decimal`` reads, ``cents`` rounds); ``money``
is its form for the ledgers, which also read sums that may be empty (``None``).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from common.numbers import CENT, cents, parse_decimal

__all__ = ["CENT", "ZERO", "money"]

ZERO = Decimal("0.00")


def money(value: Decimal | int | str | None) -> Decimal:
    """``value`` as a Decimal rounded half-up to the cent; ``None`` and "" are zero.

    Raises ``ValueError`` for anything ``parse_decimal`` refuses: floats (they are inexact),
    NaN, infinities and what is not a number.
    """
    if value is None or value == "":
        return ZERO
    try:
        return cents(parse_decimal(value))
    except ValidationError as exc:
        raise ValueError(f"Not an amount: {value!r} ({exc.messages[0]})") from exc
