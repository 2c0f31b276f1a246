"""Viewsets of the ERP core API: one ``ModelViewSet`` per resource, rows restricted per caller.

``PartnerViewSet`` is the model for every later resource: explicit queryset, serializers and
filterset; ``get_queryset()`` through a selector that knows partner users; permissions from
``erp_core.api.permissions``; writes through services; ``Idempotency-Key`` on create.
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.serializers import BaseSerializer

from erp_core.api.filters import PartnerFilterSet
from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import RESOURCE_PERMISSIONS
from erp_core.api.serializers import PartnerSerializer, PartnerWriteSerializer
from erp_core.models import Partner
from erp_core.selectors import partner_list
from erp_core.services import partner_create, partner_delete, partner_update

_WRITE_ACTIONS = ("create", "update", "partial_update")


@extend_schema_view(
    list=extend_schema(summary="List partners"),
    retrieve=extend_schema(summary="Get a partner"),
    create=extend_schema(
        summary="Create a partner",
        description=(
            "Send an `Idempotency-Key` header to make retries safe: the same key and body "
            "within 24 hours return the first answer instead of creating a second partner."
        ),
        request=PartnerWriteSerializer,
        responses={201: PartnerSerializer},
    ),
    update=extend_schema(
        summary="Replace a partner's fields",
        request=PartnerWriteSerializer,
        responses={200: PartnerSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of a partner's fields",
        request=PartnerWriteSerializer,
        responses={200: PartnerSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a partner", description="Refused with 409 while users belong to it."
    ),
)
class PartnerViewSet(IdempotentCreateMixin, viewsets.ModelViewSet):
    """Customers and suppliers. A partner user sees only its own partner, read-only."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    search_fields = ("code", "name", "tax_id")
    ordering_fields = ("code", "name", "kind", "created_at", "updated_at")
    ordering = ("code",)
    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = "erp_core.access_erp"
    partner_actions = ("list", "retrieve")

    def get_queryset(self) -> QuerySet[Partner]:
        """The partners the caller may see: all for staff, its own for a partner user."""
        return partner_list(user=self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in _WRITE_ACTIONS:
            return PartnerWriteSerializer
        return PartnerSerializer

    def perform_create(self, serializer: PartnerWriteSerializer) -> None:
        """Create through the service; the serializer only validated the input."""
        serializer.instance = partner_create(**serializer.validated_data)

    def perform_update(self, serializer: PartnerWriteSerializer) -> None:
        """Change through the service; the serializer only validated the input."""
        serializer.instance = partner_update(
            partner=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Partner) -> None:
        """Delete a partner nobody signs in for; one with users is refused (409)."""
        partner_delete(partner=instance)
