"""Serializer pieces shared by every REST resource."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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

    def to_representation(self, value) -> str | Decimal | None:
        """The number as DRF writes it; ``None`` for a stored value that no longer fits the
        field (a row written before the bounds), so that one bad row never fails a list."""
        try:
            return super().to_representation(value)
        except InvalidOperation:
            return None

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


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ``ModelSerializer`` whose model decimal fields are ``DecimalNumberField``: read,
    a stored value too long for its field is ``null`` instead of a failed list; written, the
    number is checked by ``parse_decimal`` within the model field's bounds."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalNumberField,
    }


_PARTNER_SERIALIZERS: dict[type[serializers.BaseSerializer], type[serializers.BaseSerializer]] = {}


def partner_serializer(
    serializer_class: type[serializers.BaseSerializer],
) -> type[serializers.BaseSerializer]:
    """The read serializer a partner user is answered with: only ``partner_fields``.

    A read serializer that partner users may see declares ``partner_fields``, the one set of
    its fields a customer's or supplier's user gets: no staff user ids, internal memos,
    accounting references (journal entries, accounts, bank accounts) or costs. Nested read
    serializers that declare ``partner_fields`` are narrowed the same way. A serializer without
    the declaration is refused (``ImproperlyConfigured``) rather than shown whole.
    """
    cached = _PARTNER_SERIALIZERS.get(serializer_class)
    if cached is not None:
        return cached
    fields = getattr(serializer_class, "partner_fields", None)
    if fields is None:
        raise ImproperlyConfigured(
            f"{serializer_class.__name__} must declare partner_fields: the fields a partner "
            "user sees."
        )
    declared = getattr(serializer_class, "_declared_fields", {})
    attrs: dict[str, object] = {"__module__": serializer_class.__module__}
    for name, field in declared.items():
        if name not in fields:
            attrs[name] = None  # drops the declared field from the subclass
            continue
        many = isinstance(field, serializers.ListSerializer)
        child = field.child if many else field
        if isinstance(child, serializers.BaseSerializer) and hasattr(child, "partner_fields"):
            narrowed = partner_serializer(type(child))
            attrs[name] = narrowed(
                *child._args, **({"many": True} if many else {}), **child._kwargs
            )
    meta = getattr(serializer_class, "Meta", None)
    if meta is not None:
        attrs["Meta"] = type(
            "Meta", (meta,), {"fields": tuple(fields), "read_only_fields": tuple(fields)}
        )
    variant = type(f"Partner{serializer_class.__name__}", (serializer_class,), attrs)
    _PARTNER_SERIALIZERS[serializer_class] = variant
    return variant
