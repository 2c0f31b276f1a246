"""What every document's API shares: partner scoping and the save → approve → void actions.

A document viewset mixes in ``PartnerScopedMixin`` (a partner user sees only its partner's
documents: another partner's is a 404) and ``DocumentFlowMixin`` (``approve``, ``unapprove``
and ``void`` actions that call the viewset's ``flow_*`` methods, i.e. the document's services).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from erp_core.api.permissions import STEP_PERMISSIONS, is_partner_user

# Authenticated, the module, the model (a status step: its view permission), then the step's own
# permission (approve, void…).
DOCUMENT_PERMISSIONS = STEP_PERMISSIONS


class PartnerScopedMixin:
    """Limit a partner user to the documents of its own partner (``partner_field``)."""

    partner_field = "partner"

    def get_queryset(self) -> QuerySet:
        """The viewset's queryset; for a partner user only its partner's rows."""
        queryset = super().get_queryset()
        user = self.request.user
        if is_partner_user(user):
            queryset = queryset.filter(**{self.partner_field: user.partner_id})
        return queryset


class RevisionInputSerializer(serializers.Serializer):
    """The revision the caller last read; a newer one on the server means a stale request."""

    revision = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Refused with 409 when the document changed.")
    )


class VoidInputSerializer(RevisionInputSerializer):
    """Why a document is voided (作废); the reason is kept on the document."""

    reason = serializers.CharField(max_length=255, allow_blank=False)


class DocumentFlowMixin:
    """``POST …/{id}/approve/``, ``…/unapprove/`` and ``…/void/`` on a document viewset.

    The viewset implements ``flow_approve``, ``flow_unapprove`` and ``flow_void`` (each returns
    the changed document) and ``answer(document)`` (the response body).
    """

    def _input(self, request: Request, serializer_class: type[serializers.Serializer]) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=RevisionInputSerializer, summary="Approve (审核)")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve the saved document; it becomes binding and is no longer editable."""
        data = self._input(request, RevisionInputSerializer)
        document = self.flow_approve(
            self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self.answer(document)

    @extend_schema(request=RevisionInputSerializer, summary="Unapprove (反审核)")
    @action(detail=True, methods=["post"])
    def unapprove(self, request: Request, pk: str | None = None) -> Response:
        """Take the approval back while nothing was made from the document."""
        data = self._input(request, RevisionInputSerializer)
        document = self.flow_unapprove(
            self.get_object(), actor=request.user, expected_revision=data.get("revision")
        )
        return self.answer(document)

    @extend_schema(request=VoidInputSerializer, summary="Void (作废)")
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str | None = None) -> Response:
        """Void the document with a reason; it keeps its number."""
        data = self._input(request, VoidInputSerializer)
        document = self.flow_void(
            self.get_object(),
            actor=request.user,
            reason=data["reason"],
            expected_revision=data.get("revision"),
        )
        return self.answer(document)

    def answer(self, document, code: int = status.HTTP_200_OK) -> Response:
        """The document as the read serializer shows it, re-read with its lines."""
        document = self.get_queryset().get(pk=document.pk)
        serializer_class = getattr(self, "read_serializer_class", None) or self.serializer_class
        data = serializer_class(document, context=self.get_serializer_context()).data
        return Response(data, status=code)
