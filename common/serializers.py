"""Serializer pieces shared by every REST resource."""

from rest_framework import serializers


class AnswersWithReadSerializer:
    """Mixin of an input serializer that answers with ``read_serializer``, so that a write's
    response is the object as a read shows it. Saving is a service's job, never the
    serializer's: the view validates, calls the service and serializes what it returns (DRF's
    own ``create``/``update`` are left unimplemented)."""

    read_serializer: type[serializers.Serializer]

    def to_representation(self, instance) -> dict:
        """The read representation of the saved object."""
        return self.read_serializer(instance, context=getattr(self, "context", {})).data
