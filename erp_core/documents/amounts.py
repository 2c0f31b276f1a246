"""The amounts of a priced line and of a document: net, VAT and gross, rounded to the cent.

Pure functions over ``Decimal``: quantity × unit price less the discount is the net amount,
rounded half-up to the cent; VAT is the net amount × the rate, rounded the same way; gross is
their sum. Totals are sums of the rounded line amounts, so lines always add up to the total.

Every amount must fit the money columns (18 digits, 2 places): ``line_amounts`` and
``checked_totals`` refuse a line or a document whose amounts would not, with a
``ValidationError`` on ``lines``, before anything is written.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.numbers import cents

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
#: The largest amount a money column (18 digits, 2 places) holds.
MONEY_MAX = Decimal("9999999999999999.99")


def _check_amount(value: Decimal, what: str) -> None:
    if not value.is_finite() or abs(value) > MONEY_MAX:
        message = _(
            "The %(what)s comes to more than the largest amount the ERP keeps "
            "(%(limit)s): give smaller quantities or prices."
        ) % {"what": what, "limit": f"{MONEY_MAX:,}"}
        raise ValidationError({"lines": ValidationError(message, code="too_large")})


def plain(value: Decimal | None) -> str | None:
    """A quantity or price as people write it: no trailing zeros, no exponent ("100", "2.5")."""
    return None if value is None else format(value.normalize(), "f")


@dataclass(frozen=True)
class LineAmounts:
    """Net, VAT and gross of one line."""

    net: Decimal
    tax: Decimal
    gross: Decimal


def line_amounts(
    *, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, tax_rate: Decimal
) -> LineAmounts:
    """The amounts of ``quantity`` at ``unit_price`` (excl. VAT), less ``discount_percent`` %."""
    net = cents(quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED)
    tax = cents(net * tax_rate)
    _check_amount(net + tax, _("line amount"))
    return LineAmounts(net=net, tax=tax, gross=net + tax)


@dataclass(frozen=True)
class Totals:
    """The sums of a document's lines."""

    net: Decimal = ZERO
    tax: Decimal = ZERO
    gross: Decimal = ZERO


def totals(lines: Iterable) -> Totals:
    """Sum ``net_amount``, ``tax_amount`` and ``gross_amount`` of lines (objects or dicts)."""
    net = tax = gross = ZERO
    for line in lines:
        if isinstance(line, dict):
            net += line["net_amount"]
            tax += line["tax_amount"]
            gross += line["gross_amount"]
        else:
            net += line.net_amount
            tax += line.tax_amount
            gross += line.gross_amount
    return Totals(net=net, tax=tax, gross=gross)


def checked_totals(lines: Iterable) -> Totals:
    """``totals`` of the lines, refused (``ValidationError``) when a sum would not fit a money
    column: a document whose lines each fit may still add up to too much."""
    result = totals(lines)
    _check_amount(result.gross, _("document total"))
    _check_amount(result.net, _("document total"))
    return result
