"""Viewset of the production order API under /api/v1/erp/production-orders/.

Create and edit (while planned) through the services; every step of the status flow is an
action with its own input serializer and permission. Partner users see nothing.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from common.errors import NotFound
from erp_core.documents.api import DocumentViewSet, Step, void_step
from erp_core.production import selectors, services
from erp_core.production.api.filters import ProductionOrderFilterSet
from erp_core.production.api.serializers import (
    BookTimeInputSerializer,
    CloseInputSerializer,
    CompleteInputSerializer,
    ConsumeInputSerializer,
    ProductionOrderSerializer,
    ProductionOrderUpdateSerializer,
    ProductionOrderWriteSerializer,
    ReleaseInputSerializer,
    ReportOutputInputSerializer,
    UnreleaseInputSerializer,
)
from erp_core.production.models import ProductionOrder, ProductionTimeBooking

RELEASE = "production.release_productionorder"
VOID = "production.void_productionorder"
REPORT = "production.report_productionorder"
CLOSE = "production.close_productionorder"


def _book_time(*, order: ProductionOrder, operation: int, **booking) -> ProductionTimeBooking:
    """``production_order_book_time`` on the order's operation ``operation`` (its id)."""
    found = order.operations.filter(pk=operation).first()
    if found is None:
        raise NotFound(_("The operation is not one of this order."), code="operation_not_found")
    return services.production_order_book_time(order=order, operation=found, **booking)


@extend_schema_view(
    list=extend_schema(summary="List production orders"),
    retrieve=extend_schema(
        summary="Get a production order with its materials, operations and time",
    ),
    create=extend_schema(
        summary="Create a planned production order",
        description=(
            "The BOM and routing default to the versions valid on the order date and are "
            "copied onto the order (materials and operations). Send an `Idempotency-Key` "
            "header to make retries safe."
        ),
    ),
    partial_update=extend_schema(
        summary="Change a planned production order",
        description="Rebuilds the snapshot. Refused with 409 once released or when stale.",
    ),
)
class ProductionOrderViewSet(DocumentViewSet):
    """Production orders (生产任务单): planned → released → in progress → done → closed."""

    queryset = selectors.production_order_detail_list()
    serializer_class = ProductionOrderSerializer
    write_serializer_class = ProductionOrderWriteSerializer
    update_serializer_class = ProductionOrderUpdateSerializer
    filterset_class = ProductionOrderFilterSet
    search_fields = ("number", "memo", "item__code", "item__name")
    ordering_fields = ("due_date", "date", "number", "status")
    ordering = ("-due_date", "-id")
    module_permission = "erp_core.access_erp"
    partner_field = None
    document_argument = "order"
    create_service = services.production_order_create
    update_service = services.production_order_update
    steps = {
        "release": Step(
            services.production_order_release,
            input=ReleaseInputSerializer,
            permission=RELEASE,
            summary="Release",
            description=(
                "Copies the work centers' rates and publishes erp.production_order_released."
            ),
        ),
        "unrelease": Step(
            services.production_order_unrelease,
            input=UnreleaseInputSerializer,
            permission=RELEASE,
            summary="Unrelease",
            description="Back to planned while nothing was consumed, reported or booked.",
        ),
        "void": void_step(
            services.production_order_void,
            permission=VOID,
            description="Only a planned order; it keeps its number.",
        ),
        "consume": Step(
            services.production_order_consume,
            input=ConsumeInputSerializer,
            permission=REPORT,
            summary="Consume a component",
            description=(
                "Issues the quantity (from the component warehouse unless another is named) "
                "into the order's work in progress."
            ),
        ),
        "report_output": Step(
            services.production_order_report_output,
            input=ReportOutputInputSerializer,
            permission=REPORT,
            summary="Report output and scrap",
            description="Good output is received into the order's warehouse out of WIP.",
        ),
        "book_time": Step(
            _book_time,
            input=BookTimeInputSerializer,
            permission=REPORT,
            summary="Book machine and labour time",
            description="Hours × the operation's rates, posted to WIP on journal PRD.",
        ),
        "complete": Step(
            services.production_order_complete,
            input=CompleteInputSerializer,
            permission=REPORT,
            summary="Complete (done)",
        ),
        "close": Step(
            services.production_order_close,
            input=CloseInputSerializer,
            permission=CLOSE,
            summary="Close: roll up the cost and post the variance",
        ),
    }
