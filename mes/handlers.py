"""Receivers of other modules' topics for MES: the ERP's releases and schedule become work
orders and machine queues; the warehouse's dispatches say where the lots went."""

from integration import topics
from integration.models import Event
from integration.receivers import on
from mes.services.genealogy import lot_shipments_record
from mes.services.work_orders import operations_reschedule, work_order_create, work_order_drop


@on(topics.production_order_released, name="mes.work_order_from_release")
def work_order_from_release(event: Event) -> None:
    """``erp.production_order_released``: the work order and its operations, queued."""
    work_order_create(production_order_id=event.payload["production_order_id"])


@on(topics.production_order_unreleased, name="mes.work_order_unreleased")
def work_order_unreleased(event: Event) -> None:
    """``erp.production_order_unreleased``: the work order goes."""
    work_order_drop(production_order_id=event.payload["production_order_id"])


@on(topics.schedule_changed, name="mes.queues_from_schedule")
def queues_from_schedule(event: Event) -> None:
    """``erp.schedule_changed``: operations take their planned start and machine."""
    operations_reschedule(operations=event.payload["operations"])


@on(topics.shipment_dispatched, name="mes.lots_shipped")
def lots_shipped(event: Event) -> None:
    """``wms.shipment_dispatched``: the lots MES knows, shipped to the order's customer."""
    lot_shipments_record(
        shipment_id=event.payload["shipment_id"],
        sales_order_id=event.payload["sales_order_id"],
        lines=event.payload["lines"],
        shipped_at=event.occurred_at,
    )
