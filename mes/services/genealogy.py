"""Genealogy's one write from outside the shop floor: which lots shipped to which customer.

Lots consumed and made are recorded by the terminal's actions (``mes.services.operations``);
the warehouse's dispatches (``wms.shipment_dispatched``, with the lots of each line) say where
the products went. Only lots MES knows (made or consumed on the shop floor) are recorded.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from common.limits import QUANTITY_MAX
from common.numbers import parse_decimal
from erp_core.sales.models import SalesOrder, SalesOrderLine
from mes.models import LotShipment, ProductionLot


@transaction.atomic
def lot_shipments_record(
    *, shipment_id: int, sales_order_id: int, lines: list, shipped_at: dt.datetime
) -> list[LotShipment]:
    """Record the lots of a dispatched shipment that MES knows, with the order's customer.

    A lot shipped on two lines of one shipment adds up; the same shipment applied twice is
    kept from happening by the receiver (``handled_once``)."""
    order = SalesOrder.objects.filter(pk=sales_order_id).select_related("customer").first()
    if order is None:
        raise ValidationError(
            {"sales_order_id": _("No such record: %(pk)s.") % {"pk": sales_order_id}}
        )
    line_items = dict(SalesOrderLine.objects.filter(order=order).values_list("pk", "item_id"))
    wanted: dict[tuple[int, str], Decimal] = {}
    for line in lines if isinstance(lines, list) else []:
        item_id = (
            line_items.get(line.get("sales_order_line_id") or 0) if isinstance(line, dict) else None
        )
        if item_id is None:
            continue
        for lot in line.get("lots") or []:
            number = (lot.get("lot_number") or "").strip() if isinstance(lot, dict) else ""
            if not number:
                continue
            quantity = parse_decimal(
                lot.get("quantity"), field="quantity", max_value=QUANTITY_MAX, decimal_places=6
            )
            if quantity > 0:
                key = (item_id, number)
                wanted[key] = wanted.get(key, Decimal("0")) + quantity
    if not wanted:
        return []
    known = {
        (lot.item_id, lot.number): lot
        for lot in ProductionLot.objects.filter(
            item_id__in={item for item, _n in wanted}, number__in={n for _i, n in wanted}
        )
    }
    recorded = []
    for key, quantity in wanted.items():
        lot = known.get(key)
        if lot is None:
            continue
        row, created = LotShipment.objects.get_or_create(
            shipment_id=shipment_id,
            sales_order=order,
            lot=lot,
            defaults={"customer": order.customer, "quantity": quantity, "shipped_at": shipped_at},
        )
        if not created:
            LotShipment.objects.filter(pk=row.pk).update(quantity=F("quantity") + quantity)
        recorded.append(row)
    return recorded
