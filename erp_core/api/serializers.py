"""Serializers of the ERP core API: a read serializer per resource, an input one for writes.

Input serializers only validate; the views hand ``validated_data`` to services
(``erp_core.services``), so no rule lives in ``serializer.save()``.
"""

from rest_framework import serializers

from erp_core.models import Partner
from erp_core.services import PARTNER_FIELDS


class PartnerSerializer(serializers.ModelSerializer):
    """A partner as the API shows it."""

    # Declared so that the schema allows the empty string partners without e-mail have.
    email = serializers.EmailField(read_only=True, allow_blank=True)

    class Meta:
        model = Partner
        fields = ("id", *PARTNER_FIELDS, "created_at", "updated_at")
        read_only_fields = fields


class PartnerWriteSerializer(serializers.ModelSerializer):
    """Input to create or change a partner; the answer is shown as a ``PartnerSerializer``."""

    class Meta:
        model = Partner
        fields = PARTNER_FIELDS

    def to_representation(self, instance: Partner) -> dict:
        """Answer with the read representation, so writes and reads return the same shape."""
        return PartnerSerializer(instance, context=self.context).data

    def create(self, validated_data: dict) -> Partner:
        """Never used: the view calls ``partner_create``."""
        raise NotImplementedError("Use erp_core.services.partner_create.")

    def update(self, instance: Partner, validated_data: dict) -> Partner:
        """Never used: the view calls ``partner_update``."""
        raise NotImplementedError("Use erp_core.services.partner_update.")
