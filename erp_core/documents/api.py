"""The API half of the document kit: ``DocumentViewSet``, one pattern for every document.

A document's viewset (after NetBox's API base classes) declares, explicitly: its queryset, its
read serializer (``serializer_class``), its input serializers, its filterset, who may use it,
its services, and a table of status steps mapped to services::

    class PurchaseOrderViewSet(DocumentViewSet):
        queryset = selectors.purchase_order_list()
        serializer_class = PurchaseOrderSerializer
        write_serializer_class = PurchaseOrderWriteSerializer
        filterset_class = PurchaseOrderFilterSet
        module_permission = "erp_core.access_erp"
        partner_field = "supplier"
        partner_actions = ("list", "retrieve")
        document_argument = "order"
        create_service = services.purchase_order_create
        update_service = services.purchase_order_update
        steps = {
            "approve": approve_step(services.purchase_order_approve, permission=APPROVE),
            "unapprove": unapprove_step(services.purchase_order_unapprove, permission=APPROVE),
            "void": void_step(services.purchase_order_void, permission=CHANGE),
            "cancel": Step(services.purchase_order_cancel, input=CancelInput, permission=APPROVE),
        }

and gets, all answered with the read serializer:

- ``GET`` list (filtered, searched, ordered, paginated) and detail, a partner user seeing only
  its partner's documents (another partner's is a 404, as a missing one), and of each only the
  read serializer's declared ``partner_fields``;
- ``POST`` create through ``create_service``, honouring ``Idempotency-Key``;
- ``PATCH`` through ``update_service``: only the fields sent change, lines when sent replace
  them all, an optional ``revision`` makes a stale edit a 409. ``PUT`` answers 405 — one method
  policy for every document;
- ``POST …/{id}/<verb>/`` per step: the step's input validated, then its service called with
  the document, the actor and the input (``revision`` passed as ``expected_revision``).

Every write runs in one transaction: a refusal (4xx with the JSON error body) changes nothing.
"""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from common.serializers import partner_serializer
from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import STEP_PERMISSIONS, is_partner_user

# Authenticated, the module, the model (a status step: its view permission), then the step's own
# permission (approve, void…).
DOCUMENT_PERMISSIONS = STEP_PERMISSIONS

# The one method policy of documents: no PUT (405); PATCH changes what it is sent.
DOCUMENT_METHODS = ("get", "post", "patch", "head", "options")


class RevisionInputSerializer(serializers.Serializer):
    """The revision the caller last read; a newer one on the server means a stale request."""

    revision = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Refused with 409 when the document changed.")
    )


class VoidInputSerializer(RevisionInputSerializer):
    """Why a document is voided (作废); the reason is kept on the document."""

    reason = serializers.CharField(max_length=255, allow_blank=False)


@dataclass(frozen=True)
class Step:
    """A status step of a document, ``POST …/{id}/<verb>/``, mapped to a service.

    ``service`` is called with keywords: the document (as the viewset's ``document_argument``),
    ``actor``, and the validated ``input`` (``revision`` renamed ``expected_revision``); fields
    the caller left out are not passed, so the service's defaults apply. The answer is the
    document the service returns (or, when it returns something else — a stock move, a time
    booking — the document the step ran on) through the read serializer, with
    ``status_code``. ``permission`` is the staff permission the step needs on top of the model's
    view permission; ``None`` leaves the check to the service.
    """

    service: Callable[..., Any]
    input: type[serializers.Serializer] | None = RevisionInputSerializer
    permission: str | None = None
    summary: str = ""
    description: str = ""
    url_path: str | None = None
    status_code: int = status.HTTP_200_OK


def approve_step(
    service: Callable[..., Any],
    *,
    permission: str | None,
    summary: str = "Approve",
    description: str = "Approve the saved document; it becomes binding and is no longer editable.",
    input: type[serializers.Serializer] = RevisionInputSerializer,
) -> Step:
    """The approve (审核) step: a saved document becomes binding."""
    return Step(service, input, permission, summary, description)


def unapprove_step(
    service: Callable[..., Any],
    *,
    permission: str | None,
    summary: str = "Unapprove",
    description: str = "Take the approval back while nothing was made from the document.",
    input: type[serializers.Serializer] = RevisionInputSerializer,
) -> Step:
    """The unapprove (反审核) step: back to saved while nothing downstream exists."""
    return Step(service, input, permission, summary, description)


def void_step(
    service: Callable[..., Any],
    *,
    permission: str | None,
    summary: str = "Void",
    description: str = "Void the saved document with a reason; it keeps its number.",
    input: type[serializers.Serializer] = VoidInputSerializer,
) -> Step:
    """The void (作废) step: the document keeps its number and takes no further part."""
    return Step(service, input, permission, summary, description)


def _service_arguments(data: Mapping) -> dict:
    """Validated input as service keywords: ``revision`` is the ``expected_revision``."""
    arguments = dict(data)
    if "revision" in arguments:
        arguments["expected_revision"] = arguments.pop("revision")
    return arguments


def _step_action(verb: str, step: Step, read_serializer: type[BaseSerializer] | None):
    """The ``@action`` method of one step, documented for the schema."""

    def run(self, request: Request, pk: str | None = None) -> Response:
        return self.run_step(verb)

    run.__name__ = run.__qualname__ = verb
    run.__doc__ = step.description or step.summary or verb
    url_path = step.url_path or verb.replace("_", "-")
    method = action(detail=True, methods=["post"], url_path=url_path)(run)
    return extend_schema(
        summary=step.summary or None,
        description=step.description or None,
        request=step.input,
        responses={step.status_code: read_serializer},
    )(method)


class _DocumentWrites(viewsets.GenericViewSet):
    """Create and partial update through the services; placed after ``IdempotentCreateMixin``
    so that idempotency wraps this ``create``."""

    #: Declared by ``DocumentViewSet`` (see there).
    document_argument: str
    create_service: ClassVar[Callable[..., Model]]
    update_service: ClassVar[Callable[..., Model]]

    def answer(self, document: Model, code: int = status.HTTP_200_OK) -> Response:
        """The document as the read serializer shows it (``DocumentViewSet`` defines it)."""
        raise NotImplementedError

    def create(self, request: Request, *args, **kwargs) -> Response:
        """Validate with the write serializer, save through ``create_service`` (201)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            document = self.perform_create(serializer)
        return self.answer(document, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Validate the fields sent, change the document through ``update_service``."""
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            document = self.perform_update(serializer)
        return self.answer(document)

    def perform_create(self, serializer: BaseSerializer) -> Model:
        """Call ``create_service(**input, actor=...)``; return the saved document."""
        data = dict(serializer.validated_data)
        data.pop("revision", None)
        document = self.create_service(**data, actor=self.request.user)
        serializer.instance = document
        return document

    def perform_update(self, serializer: BaseSerializer) -> Model:
        """Call ``update_service(<document>=..., **fields sent, actor=...)``; return it."""
        arguments = _service_arguments(serializer.validated_data)
        document = self.update_service(
            **{self.document_argument: serializer.instance},
            **arguments,
            actor=self.request.user,
        )
        serializer.instance = document
        return document


class DocumentViewSet(
    IdempotentCreateMixin,
    _DocumentWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The viewset of a business document: list, detail, create, PATCH and its status steps.

    Set on the subclass: ``queryset`` (through a selector, with its lines), ``serializer_class``
    (the read serializer: every answer), ``write_serializer_class`` (create; also PATCH unless
    ``update_serializer_class``), ``filterset_class``, ``search_fields``, ``ordering_fields``,
    ``module_permission`` (or ``module_permissions``), ``partner_field`` and ``partner_actions``,
    ``document_argument`` (the services' keyword for the document), ``create_service``,
    ``update_service`` and ``steps`` (verb → ``Step``). Each step becomes an action; its
    ``permission`` joins ``action_permissions``. A partner user is answered with the read
    serializer's declared ``partner_fields`` only (``common.serializers.partner_serializer``).
    """

    permission_classes = DOCUMENT_PERMISSIONS
    http_method_names = DOCUMENT_METHODS
    module_permission: str | None = None
    #: The document's partner (``customer``, ``supplier``…): a partner user sees only its rows.
    #: ``None``: partner users see no document of this kind.
    partner_field: str | None = "partner"
    partner_actions: tuple[str, ...] = ()
    ordering_fields: tuple[str, ...] = ("date", "number", "created_at")
    ordering: tuple[str, ...] = ("-date", "-id")

    write_serializer_class: type[BaseSerializer] | None = None
    update_serializer_class: type[BaseSerializer] | None = None
    #: The keyword under which the services take the document (``order``, ``invoice``…).
    document_argument: str = "document"
    create_service: ClassVar[Callable[..., Model]]
    update_service: ClassVar[Callable[..., Model]]
    steps: ClassVar[dict[str, Step]] = {}
    step_actions: tuple[str, ...] = ()
    action_permissions: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        """Turn the declared services into plain callables and each step into an action."""
        super().__init_subclass__(**kwargs)
        for name in ("create_service", "update_service"):
            if inspect.isfunction(cls.__dict__.get(name)):
                # A function set on a class would become a method bound to the viewset.
                setattr(cls, name, staticmethod(cls.__dict__[name]))
        cls._document_schema()
        if "steps" not in cls.__dict__:
            return
        for verb, step in cls.steps.items():
            if verb not in cls.__dict__:
                setattr(cls, verb, _step_action(verb, step, cls.serializer_class))
        cls.step_actions = tuple(dict.fromkeys((*cls.steps, *cls.__dict__.get("step_actions", ()))))
        cls.action_permissions = {
            **{verb: step.permission for verb, step in cls.steps.items() if step.permission},
            **cls.__dict__.get("action_permissions", {}),
        }

    @classmethod
    def _document_schema(cls) -> None:
        """Document create and PATCH with their input and the read serializer's answer."""
        read = getattr(cls, "serializer_class", None)
        write = cls.write_serializer_class
        if read is None or write is None:
            return
        update = cls.update_serializer_class or write
        extend_schema_view(
            create=extend_schema(request=write, responses={201: read}),
            partial_update=extend_schema(request=update, responses={200: read}),
        )(cls)

    # --- Rows the caller may see -------------------------------------------------------------

    def get_queryset(self) -> QuerySet:
        """The declared queryset; for a partner user only what ``partner_queryset`` leaves."""
        queryset = super().get_queryset()
        user = self.request.user
        if is_partner_user(user):
            queryset = self.partner_queryset(queryset, user.partner)  # type: ignore[union-attr]
        return queryset

    def partner_queryset(self, queryset: QuerySet, partner) -> QuerySet:
        """The documents of ``partner``; override to narrow further (e.g. never drafts)."""
        if self.partner_field is None:
            return queryset.none()
        return queryset.filter(**{self.partner_field: partner.pk})

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The write serializers for create and PATCH, a step's input, else the read one."""
        if self.action == "create" and self.write_serializer_class is not None:
            return self.write_serializer_class
        if self.action == "partial_update":
            update = self.update_serializer_class or self.write_serializer_class
            if update is not None:
                return update
        step = self.steps.get(self.action)
        if step is not None and step.input is not None:
            return step.input
        return self.read_serializer_class()

    def read_serializer_class(self) -> type[BaseSerializer]:
        """The read serializer; a partner user's is its declared ``partner_fields`` only."""
        read = self.serializer_class
        if read is None:
            raise TypeError(f"{type(self).__name__} declares no serializer_class")
        request = getattr(self, "request", None)
        if request is not None and is_partner_user(request.user):
            return partner_serializer(read)
        return read

    # --- Steps -------------------------------------------------------------------------------

    def validated_input(self, serializer_class: type[BaseSerializer] | None) -> dict:
        """The request body validated by ``serializer_class`` (400 when invalid)."""
        if serializer_class is None:
            return {}
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def run_step(self, verb: str) -> Response:
        """Validate the step's input, call its service in one transaction, answer the document."""
        step = self.steps[verb]
        data = self.validated_input(step.input)
        document = self.get_object()
        with transaction.atomic():
            result = step.service(
                **{self.document_argument: document},
                actor=self.request.user,
                **_service_arguments(data),
            )
        answered = result if isinstance(result, type(document)) else document
        return self.answer(answered, step.status_code)

    def answer(self, document: Model, code: int = status.HTTP_200_OK) -> Response:
        """The document as the read serializer shows it, re-read with its lines."""
        document = self.get_queryset().get(pk=document.pk)
        serializer_class = self.read_serializer_class()
        data = serializer_class(document, context=self.get_serializer_context()).data
        return Response(data, status=code)
