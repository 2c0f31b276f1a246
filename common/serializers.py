"""Serializer pieces shared by every REST resource."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers

from common.numbers import parse_decimal


class AnswersWithReadSerializer:
    """Mixin of an input serializer that answers with ``read_serializer``, so that a write's
    response is the object as a read shows it. Saving is a service's job, never the
    serializer's: the view validates, calls the service and serializes what it returns (DRF's
    own ``create``/``update`` are left unimplemented)."""

    read_serializer: type[serializers.Serializer]

    def to_representation(self, instance) -> dict:
        """The read representation of the saved object."""
        return self.read_serializer(instance, context=getattr(self, "context", {})).data


class DecimalNumberField(serializers.DecimalField):
    """A decimal field that checks with ``common.numbers.parse_decimal``: a JSON float is
    refused (send ``"12.50"``), and a bad number gets the message the staff pages and the
    services give.

    Takes DRF's ``max_digits``, ``decimal_places``, ``min_value`` and ``max_value``. A
    ``ModelSerializer`` maps its model decimal fields here with
    ``serializer_field_mapping = {**ModelSerializer.serializer_field_mapping,
    models.DecimalField: DecimalNumberField}``.
    """

    def __init__(self, max_digits=None, decimal_places=None, **kwargs) -> None:
        super().__init__(max_digits, decimal_places, **kwargs)
        # parse_decimal checks the bounds itself, with its own messages.
        self.validators = [
            v for v in self.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ]

    def to_internal_value(self, data) -> Decimal:
        try:
            return parse_decimal(
                data,
                max_digits=self.max_digits,
                decimal_places=self.decimal_places,
                min_value=self.min_value,
                max_value=self.max_value,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                list(error.messages), code=getattr(error, "code", None) or "invalid"
            ) from None
