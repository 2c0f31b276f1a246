"""CRM's read model of lot genealogy, filled from the shop floor's and the warehouse's events:
the lots MES made and the serial numbers in them (``mes.output_reported``), the lots it
consumed into them (``mes.materials_consumed``) and where lots and serial numbers were shipped
(``wms.shipment_dispatched``). Each receiver applies its event once (the bus's receipts), so
quantities add up."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from common.limits import QUANTITY_MAX
from common.numbers import parse_decimal
from crm.models import TracedInput, TracedLot, TracedSerial, TracedShipment
from erp_core.production.selectors import production_order_list
from erp_core.sales.selectors import sales_order_list

NUMBER_MAX = 64
# As many serial numbers as a report may carry (MES's own bound on one report).
SERIALS_MAX = 10000


def _quantity(value) -> Decimal:
    return parse_decimal(
        value, field="quantity", min_value=0, max_value=QUANTITY_MAX, decimal_places=6
    )


def _number(value) -> str:
    return (value or "").strip()[:NUMBER_MAX] if isinstance(value, str) else ""


@transaction.atomic
def traced_output_record(
    *,
    work_order_id: int,
    production_order_id: int,
    item_id: int,
    quantity,
    lot_number: str | None,
    reported_at: dt.datetime,
    serials: list | None = None,
) -> TracedLot | None:
    """A lot the shop floor made, with the serial numbers of its units when the report names
    them (a report without a lot number is not traced)."""
    number = _number(lot_number)
    amount = _quantity(quantity)
    if not number or amount <= 0:
        return None
    lot = TracedLot.objects.select_for_update().filter(item_id=item_id, number=number).first()
    if lot is not None:
        TracedLot.objects.filter(pk=lot.pk).update(quantity=F("quantity") + amount)
    else:
        order_number = (
            production_order_list()
            .filter(pk=production_order_id)
            .values_list("number", flat=True)
            .first()
        )
        lot = TracedLot.objects.create(
            item_id=item_id,
            number=number,
            production_order_id=production_order_id,
            production_order_number=order_number or "",
            work_order_id=work_order_id,
            made_at=reported_at,
            quantity=amount,
        )
    _serials_record(lot, serials)
    return lot


def _serials_record(lot: TracedLot, serials: list | None) -> None:
    """The serial numbers made in ``lot``; one already known (of the same item) keeps its lot,
    so a report delivered again changes nothing."""
    numbers = {_number(value) for value in (serials or [])[:SERIALS_MAX]} - {""}
    if numbers:
        TracedSerial.objects.bulk_create(
            [
                TracedSerial(item_id=lot.item_id, serial=serial, lot=lot)
                for serial in sorted(numbers)
            ],
            ignore_conflicts=True,
        )


@transaction.atomic
def traced_inputs_record(*, work_order_id: int, lines: list) -> int:
    """The material lots a work order consumed (lines without a lot are not traced); returns
    how many lines were traced."""
    traced = 0
    for line in lines:
        number = _number(line.get("lot_number"))
        amount = _quantity(line.get("quantity"))
        if not number or amount <= 0:
            continue
        row, created = TracedInput.objects.select_for_update().get_or_create(
            work_order_id=work_order_id,
            item_id=line["item_id"],
            lot_number=number,
            defaults={"quantity": amount},
        )
        if not created:
            TracedInput.objects.filter(pk=row.pk).update(quantity=F("quantity") + amount)
        traced += 1
    return traced


@transaction.atomic
def traced_shipment_record(
    *, shipment_id: int, sales_order_id: int, lines: list, shipped_at: dt.datetime
) -> int:
    """The lots and serial numbers a shipment took to the order's customer; returns how many
    were traced (an order the ERP does not have, or lines without lots, trace nothing)."""
    order = sales_order_list().filter(pk=sales_order_id).first()
    if order is None:
        return 0
    items = dict(order.lines.values_list("pk", "item_id"))
    traced = 0
    for line in lines:
        item_id = items.get(line.get("sales_order_line_id"))
        if item_id is None:
            continue
        for lot in line.get("lots") or []:
            number, serial = _number(lot.get("lot_number")), _number(lot.get("serial"))
            amount = _quantity(lot.get("quantity"))
            if not (number or serial) or amount <= 0:
                continue
            row, created = TracedShipment.objects.select_for_update().get_or_create(
                shipment_id=shipment_id,
                sales_order=order,
                item_id=item_id,
                lot_number=number,
                serial=serial,
                defaults={
                    "customer_id": order.customer_id,
                    "quantity": amount,
                    "shipped_at": shipped_at,
                },
            )
            if not created:
                TracedShipment.objects.filter(pk=row.pk).update(quantity=F("quantity") + amount)
            traced += 1
    return traced
