"""Money in the ledgers: ``Decimal`` quantized to the cent with ROUND_HALF_UP, never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str | None) -> Decimal:
    """``value`` as a Decimal rounded half-up to the cent; floats are refused (they are inexact).

    Raises ``ValueError`` for anything that is not a finite number.
    """
    if value is None or value == "":
        return ZERO
    if isinstance(value, float | bool):
        raise ValueError("Money is never a float: pass a Decimal or a string.")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"Not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
