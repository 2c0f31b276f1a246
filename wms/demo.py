"""WMS's demo step. WMS keeps no data of its own yet; when it does (bins, lots and quants of the
opening stock), they load here, after the ERP's stock and documents."""

from decimal import Decimal

from erp_core.models import User, Warehouse
from wms.models import Bin, OutboundOrder, Shipment, WarehouseSetup
from wms.services import outbound
from wms.services.setup import wms_warehouse_adopt, wms_warehouse_setup


def wms_step() -> dict[str, int]:
    """Nothing to load yet."""
    return {}


def wms_outbound_step() -> dict[str, int]:
    """The finished-goods warehouse run by WMS: the confirmed order still open there is
    allocated, picked by scan, packed and dispatched, and the ERP books its delivery and invoice
    from the event (once the demo commits)."""
    created = {"outbound orders": 0, "shipments": 0}
    warehouse = Warehouse.objects.filter(code="WH-FG").first()
    if warehouse is None or Shipment.objects.filter(warehouse=warehouse).exists():
        return created
    actor = User.objects.filter(username="warehouse").first()
    setup = WarehouseSetup.objects.filter(warehouse=warehouse).first()
    if setup is None:
        wms_warehouse_setup(warehouse=warehouse)
        setup = WarehouseSetup.objects.get(warehouse=warehouse)
    if not setup.live:
        wms_warehouse_adopt(warehouse=warehouse, actor=actor)
    Bin.objects.get_or_create(
        warehouse=warehouse,
        code="SHIP",
        defaults={"barcode": f"{warehouse.code}-SHIP", "bin_type": Bin.Type.SHIPPING,
                  "walking_order": 900},
    )  # fmt: skip
    order = (
        OutboundOrder.objects.filter(warehouse=warehouse, status=OutboundOrder.Status.DRAFT)
        .order_by("pk")
        .first()
    )
    if order is None:
        return created
    created["outbound orders"] += 1
    pick_list = outbound.pick_list_create(orders=[order], actor=actor)
    for task in pick_list.tasks.select_related("bin", "item", "lot", "serial").order_by("sequence"):
        outbound.pick_list_pick(
            pick_list=pick_list,
            task_id=task.pk,
            bin_barcode=task.bin.barcode,
            item_code=task.item.barcode or task.item.code,
            lot_number=task.lot.lot_number if task.lot else "",
            serial=task.serial.serial if task.serial else "",
            quantity=task.quantity,
            actor=actor,
        )
    outbound.package_create(order=order, weight=Decimal("12.5"), actor=actor)
    shipment = outbound.shipment_create(
        order=order, carrier="顺丰速运", tracking_number="SF-2026-0001", actor=actor
    )
    outbound.shipment_dispatch(shipment=shipment, actor=actor)
    created["shipments"] += 1
    return created
