"""Numbers as the ERP takes them: one parser for services, forms and the API, and the cent.

Quantities, prices and amounts are ``Decimal``, never ``float``. ``parse_decimal`` is the one
place that turns what a caller gives (a Decimal, an int, a decimal string) into a ``Decimal``
within a field's bounds, and refuses everything else with a Django ``ValidationError`` whose
message a user reads. ``common.forms.DecimalNumberField`` and
``common.serializers.DecimalNumberField`` are built on it, so a staff form, the REST API and a
service answer the same bad value with the same message.

Floats are refused, always. Inside the code a float is a programming error (its value is
already inexact: ``0.1 + 0.2``); from a client it is a JSON number, which the parser cannot
tell from the float it was rounded to, so clients send numbers as strings (``"12.50"``), as the
event payloads do. The message says so.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

__all__ = [
    "CENT",
    "MESSAGES",
    "DecimalBounds",
    "bounds_of",
    "cents",
    "parse_decimal",
]

CENT = Decimal("0.01")

# What a decimal string may look like: a sign, digits with at most one point, an exponent.
# Decimal() itself also takes "1_000", "NaN" and "Infinity"; the first is refused as a typo,
# the others get their own message.
_DECIMAL_STRING = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_SPECIAL_STRING = re.compile(r"[+-]?(nan|snan|inf|infinity)", re.IGNORECASE)
_LONGEST_STRING = 100

MESSAGES = {
    "invalid": _("Give a number."),
    "float": _(
        'Give the number as a decimal string, such as "12.50", not as a floating-point number.'
    ),
    "not_finite": _("Give a finite number."),
    "max_digits": ngettext_lazy(
        "Give at most %(max)s digit in total.", "Give at most %(max)s digits in total.", "max"
    ),
    "max_decimal_places": ngettext_lazy(
        "Give at most %(max)s decimal place.", "Give at most %(max)s decimal places.", "max"
    ),
    "whole_number": _("Give a whole number."),
    "max_whole_digits": ngettext_lazy(
        "Give at most %(max)s digit before the decimal point.",
        "Give at most %(max)s digits before the decimal point.",
        "max",
    ),
    "min_value": _("Must be at least %(limit)s."),
    "max_value": _("Must be at most %(limit)s."),
}


@dataclass(frozen=True)
class DecimalBounds:
    """What a decimal field holds: digits in all, digits after the point, lowest and highest."""

    max_digits: int | None = None
    decimal_places: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None


def bounds_of(model_field: models.Field) -> DecimalBounds:
    """The bounds of a model's ``DecimalField``: its digits and its min/max validators."""
    min_value = max_value = None
    for validator in model_field.validators:
        if isinstance(validator, MinValueValidator):
            min_value = Decimal(str(validator.limit_value))
        elif isinstance(validator, MaxValueValidator):
            max_value = Decimal(str(validator.limit_value))
    return DecimalBounds(
        max_digits=getattr(model_field, "max_digits", None),
        decimal_places=getattr(model_field, "decimal_places", None),
        min_value=min_value,
        max_value=max_value,
    )


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _to_decimal(value) -> Decimal:
    """``value`` as a Decimal, or the error that says why it is not a number we take."""
    if isinstance(value, float):
        raise _error("float")
    if isinstance(value, bool):
        raise _error("invalid")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _LONGEST_STRING:
            raise _error("invalid")
        if _SPECIAL_STRING.fullmatch(text):
            raise _error("not_finite")
        if not _DECIMAL_STRING.fullmatch(text):
            raise _error("invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _error("invalid") from None
    else:
        raise _error("invalid")
    if not number.is_finite():
        raise _error("not_finite")
    return number


def _check_digits(number: Decimal, *, max_digits: int | None, decimal_places: int | None) -> None:
    """Django's ``DecimalValidator`` rule, the most telling error first: decimals, then the
    digits before the point, then the digits in all. Trailing zeros are not decimals that
    count: "1.500" fits two decimal places, as it is stored as 1.50 without loss."""
    _sign, digit_tuple, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)  # finite, checked before
    decimals = max(0, -exponent)
    whole_digits = 0 if number.is_zero() else max(0, len(digit_tuple) + exponent)
    if decimal_places is not None and decimals > decimal_places:
        if decimal_places == 0:
            raise _error("whole_number")
        raise _error("max_decimal_places", max=decimal_places)
    if max_digits is not None and decimal_places is not None:
        if whole_digits > max_digits - decimal_places:
            raise _error("max_whole_digits", max=max_digits - decimal_places)
    elif max_digits is not None and whole_digits + decimals > max_digits:
        raise _error("max_digits", max=max_digits)


def parse_decimal(
    value,
    *,
    field: str | None = None,
    bounds: DecimalBounds | models.Field | None = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    min_value: Decimal | int | float | str | None = None,
    max_value: Decimal | int | float | str | None = None,
) -> Decimal:
    """``value`` (a Decimal, an int or a decimal string) as a finite ``Decimal`` within bounds.

    The bounds come from ``bounds`` (a ``DecimalBounds`` or a model's ``DecimalField``), and
    the explicit arguments override them; ``min_value`` and ``max_value`` are inclusive (a
    bound is a constant of the code: a float bound is read as it is written, ``0.5`` as "0.5").
    Refused, with a ``ValidationError`` keyed by ``field`` when given: floats, booleans,
    anything that is not a number, NaN and infinities, too many digits or decimal places, a
    value below the minimum or above the maximum. The value is returned as given, never
    rounded: rounding is the caller's decision (``cents`` for money).
    """
    if isinstance(bounds, models.Field):
        bounds = bounds_of(bounds)
    bounds = bounds or DecimalBounds()
    max_digits = bounds.max_digits if max_digits is None else max_digits
    decimal_places = bounds.decimal_places if decimal_places is None else decimal_places
    low = bounds.min_value if min_value is None else Decimal(str(min_value))
    high = bounds.max_value if max_value is None else Decimal(str(max_value))
    try:
        number = _to_decimal(value)
        _check_digits(number, max_digits=max_digits, decimal_places=decimal_places)
        if low is not None and number < low:
            raise _error("min_value", limit=low)
        if high is not None and number > high:
            raise _error("max_value", limit=high)
    except ValidationError as error:
        if field is None:
            raise
        raise ValidationError({field: [error]}) from None
    return number


def cents(value: Decimal) -> Decimal:
    """``value`` rounded half-up to the cent: the one rounding rule of money in the ERP.

    Rounded with as many digits as the value needs, so that a finite value too large for any
    column is still a number (which the bounds then refuse), never ``InvalidOperation``.
    """
    exponent = value.as_tuple().exponent
    whole = len(value.as_tuple().digits) + exponent if isinstance(exponent, int) else 0
    context = Context(prec=max(28, whole + 3))
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=context)
