"""One decimal rule in three layers: ``parse_decimal`` (services), the form field (staff pages)
and the serializer field (the API) take the same values and refuse the same ones with the same
message."""

from decimal import Decimal as D

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from rest_framework import serializers

from common.forms import DecimalNumberField as FormDecimalField
from common.numbers import DecimalBounds, bounds_of, cents, parse_decimal
from common.serializers import DecimalNumberField as SerializerDecimalField
from erp_core.billing.services import common as billing_common
from erp_core.ledger.money import money
from erp_core.production.services import _common as production_common
from erp_core.purchasing.services import common as purchasing_common

# A quantity field: up to 9999.99, at least -10, at most 500.
BOUNDS = {"max_digits": 6, "decimal_places": 2, "min_value": D("-10"), "max_value": D("500")}


def _service(value):
    return parse_decimal(value, field="quantity", **BOUNDS)


class _Form(forms.Form):
    quantity = FormDecimalField(**BOUNDS)


class _Serializer(serializers.Serializer):
    quantity = SerializerDecimalField(**BOUNDS)


def _form(value):
    form = _Form(data={"quantity": value})
    if form.is_valid():
        return form.cleaned_data["quantity"]
    raise ValidationError(form.errors.as_data())


def _serializer(value):
    serializer = _Serializer(data={"quantity": value})
    if serializer.is_valid():
        return serializer.validated_data["quantity"]
    raise ValidationError({"quantity": [str(m) for m in serializer.errors["quantity"]]})


LAYERS = {"service": _service, "form": _form, "serializer": _serializer}

REFUSED = [
    pytest.param("abc", "Give a number.", id="not-a-number"),
    pytest.param("1_000", "Give a number.", id="underscores"),
    pytest.param("NaN", "Give a finite number.", id="nan-string"),
    pytest.param("-Infinity", "Give a finite number.", id="inf-string"),
    pytest.param(D("NaN"), "Give a finite number.", id="nan-decimal"),
    pytest.param(D("Infinity"), "Give a finite number.", id="inf-decimal"),
    pytest.param("10000", "Give at most 4 digits before the decimal point.", id="too-many-digits"),
    pytest.param("1.005", "Give at most 2 decimal places.", id="too-many-decimals"),
    pytest.param("-10.01", "Must be at least -10.", id="below-min"),
    pytest.param("500.01", "Must be at most 500.", id="above-max"),
]
FLOAT = 'Give the number as a decimal string, such as "12.50", not as a floating-point number.'


def _message(layer, value) -> str:
    with pytest.raises(ValidationError) as caught:
        LAYERS[layer](value)
    return caught.value.message_dict["quantity"][0]


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize(("value", "message"), REFUSED)
def test_every_layer_refuses_a_bad_value_with_the_same_message(layer, value, message):
    # A form posts strings: a Decimal reaches it only as its text.
    value = str(value) if layer == "form" else value
    assert _message(layer, value) == message


@pytest.mark.parametrize("layer", ["service", "serializer"])
def test_a_float_is_refused_even_when_it_is_exact(layer):
    # 0.5 is exact in binary, yet refused: whether a float is exact is not the caller's to judge.
    assert _message(layer, 0.5) == FLOAT
    assert _message(layer, 0.1) == FLOAT


def test_a_json_float_is_refused_by_the_serializer():
    serializer = _Serializer(data={"quantity": 12.5})
    assert not serializer.is_valid()
    assert serializer.errors["quantity"][0].code == "float"


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-10", D("-10")),  # the minimum
        ("500", D("500")),  # the maximum
        ("499.99", D("499.99")),  # every decimal place
        ("  12.5 ", D("12.5")),
        ("1.500", D("1.500")),  # trailing zeros are not decimals that count
        ("0", D("0")),
    ],
)
def test_every_layer_takes_a_good_value_at_each_bound(layer, value, expected):
    assert LAYERS[layer](value) == expected


@pytest.mark.parametrize("layer", ["service", "serializer"])
def test_decimals_and_ints_are_taken(layer):
    assert LAYERS[layer](D("12.34")) == D("12.34")
    assert LAYERS[layer](12) == D("12")


@pytest.mark.parametrize("value", [True, None, [], object()])
def test_the_parser_refuses_what_is_not_a_number(value):
    with pytest.raises(ValidationError) as caught:
        parse_decimal(value)
    assert caught.value.code == "invalid"


def test_the_whole_digits_count_when_only_max_digits_is_given():
    assert parse_decimal("999.9", max_digits=4) == D("999.9")
    with pytest.raises(ValidationError, match="at most 4 digits in total"):
        parse_decimal("999.99", max_digits=4)


def test_no_decimal_places_asks_for_a_whole_number():
    with pytest.raises(ValidationError, match="Give a whole number"):
        parse_decimal("1.5", decimal_places=0)
    assert parse_decimal("2.0", decimal_places=0) == D("2.0")


def test_without_a_field_the_error_is_not_keyed():
    with pytest.raises(ValidationError) as caught:
        parse_decimal("x")
    assert not hasattr(caught.value, "error_dict")
    assert caught.value.messages == ["Give a number."]


def test_bounds_come_from_a_model_field_and_explicit_arguments_override_them():
    field = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        validators=[
            models.fields.validators.MinValueValidator(D("0")),
            models.fields.validators.MaxValueValidator(D("100")),
        ],
    )
    assert bounds_of(field) == DecimalBounds(5, 1, D("0"), D("100"))
    with pytest.raises(ValidationError, match="at most 1 decimal place"):
        parse_decimal("1.25", bounds=field)
    with pytest.raises(ValidationError, match="at most 100"):
        parse_decimal("100.1", bounds=field)
    assert parse_decimal("150", bounds=field, max_value="200") == D("150")
    with pytest.raises(ValidationError, match="at least 0"):
        parse_decimal("-1", bounds=field)


def test_the_messages_are_translated():
    with translation.override("zh-hans"):
        for value, kwargs in (
            ("x", {}),
            (1.5, {}),
            ("NaN", {}),
            ("1.005", {"decimal_places": 2}),
            ("1000", {"max_digits": 5, "decimal_places": 3}),
            ("1000", {"max_digits": 3}),
            ("1.5", {"decimal_places": 0}),
            ("-1", {"min_value": 0}),
            ("2", {"max_value": 1}),
        ):
            with pytest.raises(ValidationError) as caught:
                parse_decimal(value, **kwargs)
            message = caught.value.messages[0]
            assert not message.isascii(), message


def test_cents_rounds_half_up():
    assert cents(D("1.005")) == D("1.01")
    assert cents(D("-1.005")) == D("-1.01")
    assert cents(D("2.344")) == D("2.34")


# --- The services read numbers with the parser: its messages reach the caller -------------------

SERVICE_HELPERS = {
    "billing.positive_amount": lambda value: billing_common.positive_amount(value, field="amount"),
    "purchasing.positive_quantity": lambda value: purchasing_common.positive_quantity(
        value, field="amount"
    ),
    "purchasing.not_negative": lambda value: purchasing_common.not_negative(value, field="amount"),
    "production._number": lambda value: production_common._number(value, "amount"),
}


@pytest.mark.parametrize("helper", SERVICE_HELPERS)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.5, FLOAT),
        ("NaN", "Give a finite number."),
        (D("-Infinity"), "Give a finite number."),
        ("abc", "Give a number."),
    ],
)
def test_the_service_helpers_refuse_with_the_parsers_message(helper, value, message):
    with pytest.raises(ValidationError) as caught:
        SERVICE_HELPERS[helper](value)
    assert caught.value.message_dict["amount"] == [message]


@pytest.mark.parametrize("helper", SERVICE_HELPERS)
def test_the_service_helpers_take_decimals_ints_and_strings(helper):
    assert SERVICE_HELPERS[helper](D("2.50")) == D("2.50")
    assert SERVICE_HELPERS[helper]("3") == D("3")
    assert SERVICE_HELPERS[helper](4) == D("4")


def test_ledger_money_rounds_with_the_one_rule_and_refuses_a_float():
    assert money("1.005") == cents(D("1.005")) == D("1.01")
    with pytest.raises(ValueError, match="floating-point"):
        money(0.5)
