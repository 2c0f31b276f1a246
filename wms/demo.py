"""WMS's demo step: the raw-material warehouse WH-RM laid out in zones and bins and taken over
(its ERP stock adopted), the open purchase order received through WMS and put away, and one
count of a bin approved. Runs after the ERP's steps; loads only what is missing."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from erp_core.models import Item, User, Warehouse
from wms.models import (
    Bin,
    Count,
    ExpectedReceipt,
    MoveTask,
    OutboundOrder,
    SerialNumber,
    Shipment,
    WarehouseSetup,
    Zone,
)
from wms.services import counts, inbound, internal, outbound
from wms.services.setup import wms_warehouse_adopt, wms_warehouse_setup

WAREHOUSE = "WH-RM"
# zone, name, bins: code, type, capacity (units), walking order
LAYOUT = (
    ("A", "货架区 A", [("A-01", "storage", None, 10), ("A-02", "storage", None, 20),
                      ("A-03", "storage", "2000", 30), ("A-04", "storage", None, 40)]),
    ("P", "拣货区", [("P-01", "picking", "300", 5), ("P-02", "picking", "300", 6)]),
    ("Q", "待检区", [("QC-01", "quarantine", None, 90)]),
    ("L", "线边区", [("LINE-01", "production_staging", None, 95)]),
)  # fmt: skip


def _layout(warehouse: Warehouse) -> int:
    made = 0
    for zone_code, name, bins in LAYOUT:
        zone, _created = Zone.objects.get_or_create(
            warehouse=warehouse, code=zone_code, defaults={"name": name}
        )
        for code, bin_type, capacity, order in bins:
            _bin, created = Bin.objects.get_or_create(
                warehouse=warehouse,
                code=code,
                defaults={
                    "zone": zone,
                    "barcode": f"{warehouse.code}-{code}",
                    "bin_type": bin_type,
                    "capacity_units": Decimal(capacity) if capacity else None,
                    "walking_order": order,
                },
            )
            made += created
    return made


def _receive(receipt: ExpectedReceipt) -> None:
    """Scan every expected line in full (a lot for lot-tracked items), complete, put away."""
    today = timezone.localdate()
    for line in receipt.lines.select_related("item").order_by("line_no"):
        lot = {}
        if line.item.tracking == Item.Tracking.LOT:
            days = dt.timedelta(days=line.item.shelf_life_days or 365)
            lot = {"lot_number": f"{receipt.number}-{line.line_no}", "expiry": today + days}
        if line.item.tracking == Item.Tracking.SERIAL:
            for n in range(int(line.quantity)):
                inbound.expected_receipt_scan(
                    receipt=receipt, barcode=line.item.barcode or line.item.code,
                    serial=f"{receipt.number}-{line.line_no}-{n + 1:04d}",
                )  # fmt: skip
            continue
        inbound.expected_receipt_scan(receipt=receipt, barcode=line.item.barcode or line.item.code,
                                      quantity=line.quantity, **lot)  # fmt: skip
    inbound.expected_receipt_complete(receipt=receipt, actor=None)
    for task in MoveTask.objects.filter(source_type=inbound.SOURCE_TYPE, source_id=str(receipt.pk),
                                        status=MoveTask.Status.OPEN):  # fmt: skip
        target = task.to_bin or Bin.objects.get(warehouse=receipt.warehouse, code="A-04")
        internal.move_task_confirm(task=task, bin_barcode=target.barcode, actor=None,
                                   any_bin=task.to_bin is None)  # fmt: skip


def wms_step() -> dict[str, int]:
    """WMS's demo: the raw-material warehouse's inbound and count, then the finished-goods
    warehouse's outbound."""
    return {**wms_inbound_step(), **wms_outbound_step()}


def wms_inbound_step() -> dict[str, int]:
    """WH-RM run by WMS: bins, adopted stock, the open order received and put away, a count."""
    warehouse = Warehouse.objects.filter(code=WAREHOUSE).first()
    if warehouse is None or WarehouseSetup.objects.filter(warehouse=warehouse, live=True).exists():
        return {}
    bins = _layout(warehouse)
    wms_warehouse_setup(warehouse=warehouse)
    wms_warehouse_adopt(warehouse=warehouse)
    received = 0
    for receipt in ExpectedReceipt.objects.filter(
        warehouse=warehouse, status=ExpectedReceipt.Status.DRAFT
    ).order_by("pk"):
        _receive(receipt)
        received += 1
    made = 0
    setup = WarehouseSetup.objects.get(warehouse=warehouse)
    if not Count.objects.filter(warehouse=warehouse).exists():
        count = counts.count_start(warehouse=warehouse, bins=[setup.default_bin], blind=True)
        short = True
        for line in count.lines.select_related("item", "lot", "bin").order_by("pk"):
            found = line.snapshot_quantity
            if line.item.tracking == Item.Tracking.SERIAL:
                # Serial units are scanned one by one and uploaded as a batch: every unit of
                # the bin is found.
                serials = SerialNumber.objects.filter(
                    item=line.item, bin=line.bin, lot=line.lot, status__in=counts.IN_A_BIN
                ).order_by("serial")
                counts.count_record_serials(
                    count=count,
                    bin_barcode=line.bin.barcode,
                    barcode=line.item.barcode or line.item.code,
                    serials=[serial.serial for serial in serials],
                )
                continue
            if short and found >= 2:
                found -= 2  # two found missing: the ERP posts the loss
                short = False
            counts.count_record(count=count, bin_barcode=line.bin.barcode,
                                barcode=line.item.barcode or line.item.code, quantity=found,
                                lot_number=line.lot.lot_number if line.lot else "")  # fmt: skip
        if count.lines.exists():
            counts.count_submit(count=count, actor=None)
            counts.count_approve(count=count, actor=None)
        made = 1
    return {"bins": bins, "warehouses run by WMS": 1, "WMS receipts": received, "counts": made}


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
