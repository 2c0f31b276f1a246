"""Viewsets of the CRM API: accounts, contacts, leads, the pipeline's stages, opportunities,
quotes, activities, tickets, receivables and promises to pay.

Each ``get_queryset()`` is the caller's rows (a salesperson's own accounts unless they may see
all); writes go through ``crm.services``; rule-bound changes are ``POST …/{id}/<verb>/``.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from crm import selectors
from crm.api import serializers as s
from crm.models import Quote
from crm.services import accounts, activities, collections, pipeline, quotes
from crm.services.common import signed_in_user
from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import STEP_PERMISSIONS

MODULE = "crm.access_crm"
WRITE_METHODS = ("get", "post", "patch", "head", "options")


def changed(serializer: BaseSerializer) -> Any:
    """The object an update changes (DRF types it optional; an update always has one)."""
    return serializer.instance


class _CRMViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A CRM resource: staff of the CRM module with the model's permissions; partners never."""

    permission_classes = (IsAuthenticated, *STEP_PERMISSIONS[1:])
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()
    http_method_names = WRITE_METHODS
    read_serializer: type[BaseSerializer]
    write_serializer: type[BaseSerializer] | None = None
    update_serializer: type[BaseSerializer] | None = None
    action_inputs: dict[str, type[BaseSerializer]] = {}

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer of a write or a step, the read serializer otherwise."""
        if self.action == "partial_update" and self.update_serializer is not None:
            return self.update_serializer
        if self.action in ("create", "partial_update") and self.write_serializer is not None:
            return self.write_serializer
        if self.action in self.action_inputs:
            return self.action_inputs[self.action]
        return self.read_serializer

    def _input(self, request: Request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, instance, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            self.read_serializer(instance, context=self.get_serializer_context()).data,
            status=code,
        )


class AccountViewSet(_CRMViewSet):
    """Accounts: a salesperson's own, or all with ``crm.view_all_accounts``."""

    read_serializer = s.CustomerAccountSerializer
    write_serializer = s.CustomerAccountWriteSerializer
    queryset = selectors.account_list()
    filterset_fields = ("owner", "partner")
    search_fields = ("name", "tax_id", "phone", "email")

    def get_queryset(self) -> QuerySet:
        return selectors.account_list(user=signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.setdefault("owner", None)
        if data["owner"] is None:
            data["owner"] = signed_in_user(self.request)
        serializer.instance = accounts.account_create(**data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = accounts.account_update(
            account=changed(serializer), **serializer.validated_data
        )


class ContactViewSet(_CRMViewSet):
    """Contacts of the accounts the caller sees."""

    read_serializer = s.ContactSerializer
    write_serializer = s.ContactWriteSerializer
    queryset = selectors.contact_list()
    filterset_fields = ("account", "is_primary")
    search_fields = ("name", "email", "phone")

    def get_queryset(self) -> QuerySet:
        return selectors.contact_list(user=signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = accounts.contact_create(**serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = accounts.contact_update(
            contact=changed(serializer), **serializer.validated_data
        )


class LeadViewSet(_CRMViewSet):
    """Leads: entered with de-duplication (409 ``duplicate`` unless ``allow_duplicate``),
    checked for duplicates, converted to an account, a contact and an opportunity."""

    read_serializer = s.LeadSerializer
    write_serializer = s.LeadWriteSerializer
    queryset = selectors.lead_list()
    filterset_fields = ("status", "source", "owner")
    search_fields = ("company", "contact_name", "email", "phone", "tax_id")
    action_permissions = {"convert": "crm.add_account"}
    action_inputs = {
        "convert": s.LeadConvertInputSerializer,
        "duplicates": s.DuplicateCheckInputSerializer,
    }

    def get_queryset(self) -> QuerySet:
        return selectors.lead_list(user=signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        if data.get("owner") is None:
            data["owner"] = signed_in_user(self.request)
        serializer.instance = accounts.lead_create(**data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("allow_duplicate", None)
        serializer.instance = accounts.lead_update(lead=changed(serializer), **data)

    @extend_schema(request=s.LeadConvertInputSerializer, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def convert(self, request: Request, pk=None) -> Response:
        """Convert the lead (an account, a contact, an opportunity in the first stage)."""
        lead = self.get_object()
        data = self._input(request)
        result = accounts.lead_convert(lead=lead, actor=signed_in_user(request), **data)
        return self._answer(result.lead)

    @extend_schema(request=s.DuplicateCheckInputSerializer, responses=s.DuplicatesSerializer)
    @action(detail=False, methods=["post"])
    def duplicates(self, request: Request) -> Response:
        """Open leads and accounts that look like the company given (nothing is written)."""
        found = accounts.duplicates_of(**self._input(request))
        return Response(s.DuplicatesSerializer({"duplicates": found}).data)


class StageViewSet(_CRMViewSet):
    """The pipeline's stages (configured by sales managers)."""

    read_serializer = s.StageSerializer
    write_serializer = s.StageSerializer
    queryset = selectors.stage_list(active_only=False)

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = pipeline.stage_create(**serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = pipeline.stage_update(
            stage=changed(serializer), **serializer.validated_data
        )


class OpportunityViewSet(_CRMViewSet):
    """Deals on the caller's accounts; ``move`` to another stage."""

    read_serializer = s.OpportunitySerializer
    write_serializer = s.OpportunityWriteSerializer
    queryset = selectors.opportunity_list()
    filterset_fields = ("stage", "account", "owner")
    search_fields = ("name", "account__name")
    action_permissions = {"move": "crm.change_opportunity"}
    action_inputs = {"move": s.OpportunityMoveInputSerializer}

    def get_queryset(self) -> QuerySet:
        return selectors.opportunity_list(user=signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        if data.get("owner") is None:
            data["owner"] = signed_in_user(self.request)
        serializer.instance = pipeline.opportunity_create(**data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = pipeline.opportunity_update(
            opportunity=changed(serializer), **serializer.validated_data
        )

    @extend_schema(request=s.OpportunityMoveInputSerializer, responses=s.OpportunitySerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk=None) -> Response:
        """Move the deal to another stage (its probability follows the stage)."""
        opportunity = self.get_object()
        data = self._input(request)
        return self._answer(pipeline.opportunity_move(opportunity=opportunity, stage=data["stage"]))


class QuoteViewSet(_CRMViewSet):
    """Quotes on the caller's accounts: ``approve`` a discount, ``accept`` (once: the ERP
    makes the sales order, whose number then shows), ``reject``."""

    read_serializer = s.QuoteSerializer
    write_serializer = s.QuoteWriteSerializer
    update_serializer = s.QuoteUpdateSerializer
    queryset = selectors.quote_detail_list()
    filterset_fields = ("status", "account", "opportunity")
    search_fields = ("number", "account__name")
    action_permissions = {
        "accept": "crm.change_quote",
        "approve": "crm.approve_quote",
        "reject": "crm.change_quote",
    }

    def get_queryset(self) -> QuerySet:
        return selectors.quote_detail_list(user=signed_in_user(self.request))

    def list(self, request: Request, *args, **kwargs) -> Response:
        """A page of quotes, the ERP orders of the page's accepted ones read at once."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = page if page is not None else list(self.filter_queryset(self.get_queryset()))
        context = {
            **self.get_serializer_context(),
            "sales_orders": selectors.quote_sales_orders(rows),
        }
        data = self.read_serializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.setdefault("owner", signed_in_user(self.request))
        serializer.instance = quotes.quote_create(**data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = quotes.quote_update(
            quote=changed(serializer), **serializer.validated_data
        )

    def _step(self, quote: Quote) -> Response:
        return self._answer(selectors.quote_detail_list().get(pk=quote.pk))

    @extend_schema(request=None, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        """The customer accepted: the ERP makes the sales order (409 when accepted already)."""
        return self._step(
            quotes.quote_accept(quote=self.get_object(), actor=signed_in_user(request))
        )

    @extend_schema(request=None, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        """Approve a discount above the threshold."""
        return self._step(
            quotes.quote_approve(quote=self.get_object(), actor=signed_in_user(request))
        )

    @extend_schema(request=None, responses=s.QuoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        """The customer declined."""
        return self._step(quotes.quote_reject(quote=self.get_object()))


class ActivityViewSet(_CRMViewSet):
    """Activities on the caller's accounts, or their own; ``complete`` one."""

    read_serializer = s.ActivitySerializer
    write_serializer = s.ActivityWriteSerializer
    queryset = selectors.activity_list()
    filterset_fields = ("kind", "account", "owner", "opportunity")
    action_permissions = {"complete": "crm.change_activity"}

    def get_queryset(self) -> QuerySet:
        return selectors.activity_list(user=signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        if data.get("owner") is None:
            data["owner"] = signed_in_user(self.request)
        serializer.instance = activities.activity_create(**data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = activities.activity_update(
            activity=changed(serializer), **serializer.validated_data
        )

    @extend_schema(request=None, responses=s.ActivitySerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk=None) -> Response:
        """Mark the activity done."""
        return self._answer(activities.activity_complete(activity=self.get_object()))


class TicketViewSet(_CRMViewSet):
    """After-sales tickets of the caller's accounts; ``resolve`` and ``close`` them."""

    read_serializer = s.TicketSerializer
    write_serializer = s.TicketWriteSerializer
    queryset = selectors.ticket_list()
    filterset_fields = ("status", "priority", "account", "owner")
    search_fields = ("number", "subject", "lot_or_serial")
    action_permissions = {"resolve": "crm.change_ticket", "close": "crm.change_ticket"}
    action_inputs = {"resolve": s.TicketResolveInputSerializer}

    def get_queryset(self) -> QuerySet:
        overdue = self.request.query_params.get("overdue") in ("1", "true")
        return selectors.ticket_list(user=signed_in_user(self.request), overdue=overdue)

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = activities.ticket_create(**serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = activities.ticket_update(
            ticket=changed(serializer), **serializer.validated_data
        )

    @extend_schema(request=s.TicketResolveInputSerializer, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk=None) -> Response:
        """Resolve the ticket, saying how."""
        ticket = self.get_object()
        data = self._input(request)
        return self._answer(activities.ticket_resolve(ticket=ticket, **data))

    @extend_schema(request=None, responses=s.TicketSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        """Close a resolved ticket."""
        return self._answer(activities.ticket_close(ticket=self.get_object()))

    @extend_schema(request=None, responses=s.LotTraceSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def trace(self, request: Request, pk=None) -> Response:
        """The ticket's lot or serial number through the genealogy: the production order that
        made it, its input lots, and where else it was shipped."""
        traces = selectors.ticket_trace(ticket=self.get_object())
        return Response(s.LotTraceSerializer(traces, many=True).data)


class ReceivableViewSet(viewsets.ReadOnlyModelViewSet):
    """Open invoices followed up, of the caller's customers (from the ERP's events)."""

    permission_classes = _CRMViewSet.permission_classes
    module_permission = MODULE
    partner_actions: tuple[str, ...] = ()
    serializer_class = s.ReceivableSerializer
    queryset = selectors.receivable_list()
    filterset_fields = ("partner", "dunning_stage")

    def get_queryset(self) -> QuerySet:
        return selectors.receivable_list(user=signed_in_user(self.request))


class PromiseToPayViewSet(_CRMViewSet):
    """Customers' promises to pay."""

    read_serializer = s.PromiseToPaySerializer
    write_serializer = s.PromiseToPayWriteSerializer
    http_method_names = ("get", "post", "head", "options")  # type: ignore[assignment]
    queryset = selectors.promise_list()
    filterset_fields = ("account", "status")

    def get_queryset(self) -> QuerySet:
        return selectors.promise_list(user=signed_in_user(self.request))

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = collections.promise_to_pay_create(
            **serializer.validated_data, actor=signed_in_user(self.request)
        )
