"""Reads of the WMS screens: the dashboard's figures, the stock browser, the lists and the
scan screens' look-ups. Each answers in a fixed number of queries, whatever the rows."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from erp_core.models import Item, Warehouse
from wms.models import (
    Allocation,
    Bin,
    ExpectedReceipt,
    Lot,
    MoveTask,
    PickList,
    Quant,
    SerialNumber,
    Transfer,
    Zone,
)
from wms.models import Count as StockCount

# The scan screens' look-ups are the ones the services use.
from wms.selectors import bin_by_barcode, item_by_barcode  # noqa: F401

ZERO = Decimal("0")
_QTY = DecimalField(max_digits=18, decimal_places=6)
LIST_LIMIT = 20


def _filled() -> Coalesce:
    return Coalesce(Sum("quants__on_hand"), Value(ZERO), output_field=_QTY)


# --- the dashboard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenWork:
    """A kind of open warehouse work and how many are waiting."""

    label: str
    count: int
    url_name: str
    query: str = ""


def open_task_counts() -> dict[str, int]:
    """Open move tasks per kind (putaway, replenishment, staging, move)."""
    rows = (
        MoveTask.objects.filter(status=MoveTask.Status.OPEN)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}


def open_document_counts() -> dict[str, int]:
    """Expected receipts to receive, pick lists to pick, counts being counted or reviewed,
    transfers under way."""
    return {
        "receipts": ExpectedReceipt.objects.filter(status=ExpectedReceipt.Status.DRAFT).count(),
        "counts": StockCount.objects.filter(
            status__in=(StockCount.Status.DRAFT, StockCount.Status.SUBMITTED)
        ).count(),
        "pick_lists": PickList.objects.filter(status=PickList.Status.DRAFT).count(),
        "transfers": Transfer.objects.filter(
            status__in=(Transfer.Status.DRAFT, Transfer.Status.IN_TRANSIT)
        ).count(),
    }


def lots_expiring(*, days: int, today: dt.date | None = None) -> QuerySet[Lot]:
    """Lots in stock whose expiry falls within ``days`` from today (expired ones included),
    earliest first, with their item and quantity on hand."""
    today = today or timezone.localdate()
    return (
        Lot.objects.filter(expiry__lte=today + dt.timedelta(days=days))
        .select_related("item", "item__unit")
        .annotate(on_hand=Coalesce(Sum("quants__on_hand"), Value(ZERO), output_field=_QTY))
        .filter(on_hand__gt=0)
        .order_by("expiry", "lot_number", "pk")
    )


def bins_with_fill(*, warehouse_id: int | None = None) -> QuerySet[Bin]:
    """Bins with ``fill`` (units on hand) and their warehouse and zone, in walking order."""
    qs = Bin.objects.select_related("warehouse", "zone").annotate(fill=_filled())
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    return qs.order_by("warehouse__code", "walking_order", "code")


def bins_full(*, warehouse_id: int | None = None) -> QuerySet[Bin]:
    """Bins with a unit capacity that are filled to it."""
    return bins_with_fill(warehouse_id=warehouse_id).filter(
        capacity_units__isnull=False, fill__gte=F("capacity_units")
    )


def bins_empty(*, warehouse_id: int | None = None) -> QuerySet[Bin]:
    """Storage and picking bins holding nothing, not blocked: where putaway can go."""
    return bins_with_fill(warehouse_id=warehouse_id).filter(
        fill__lte=0, is_blocked=False, bin_type__in=(Bin.Type.STORAGE, Bin.Type.PICKING)
    )


def bin_heat_map(*, warehouse_id: int) -> dict:
    """The bin-fill heat map of a warehouse: one row per zone, one cell per bin in walking
    order, valued by how full the bin is (per cent of its unit capacity; None when it has no
    capacity, so only its units are shown)."""
    rows: dict[str, list[dict]] = {}
    for bin in bins_with_fill(warehouse_id=warehouse_id):
        zone = bin.zone.code if bin.zone_id else "—"
        percent = None
        if bin.capacity_units:
            percent = round(float(bin.fill / bin.capacity_units * 100), 1)
        rows.setdefault(zone, []).append(
            {
                "bin": bin.code,
                "fill": float(bin.fill),
                "percent": percent,
                "blocked": bin.is_blocked,
            }
        )
    zones = sorted(rows)
    width = max((len(cells) for cells in rows.values()), default=0)
    data = []
    for y, zone in enumerate(zones):
        for x, cell in enumerate(rows[zone]):
            data.append([x, y, cell["percent"], cell["bin"], cell["fill"], cell["blocked"]])
    return {"zones": zones, "columns": list(range(1, width + 1)), "cells": data}


def warehouses_with_bins() -> QuerySet[Warehouse]:
    """ERP warehouses that have WMS bins."""
    return Warehouse.objects.filter(wms_bins__isnull=False).distinct().order_by("code")


# --- the stock browser -------------------------------------------------------------------------


def _item_search(search: str) -> Q:
    return (
        Q(item__code__icontains=search)
        | Q(item__name__icontains=search)
        | Q(item__barcode=search)
        | Q(item__pinyin_initials__icontains=search)
        | Q(lot__lot_number__icontains=search)
    )


def stock_by_item(*, search: str = "", warehouse_id: int | None = None) -> QuerySet:
    """On hand and reserved per item over the quants holding stock, searched by item code,
    name, barcode, pinyin initials or lot number (one grouped query, rows as dicts)."""
    qs = Quant.objects.filter(on_hand__gt=0)
    if warehouse_id is not None:
        qs = qs.filter(bin__warehouse_id=warehouse_id)
    if search:
        qs = qs.filter(_item_search(search))
    return (
        qs.values("item_id", "item__code", "item__name", "item__unit__code")
        .annotate(
            on_hand=Sum("on_hand"),
            reserved=Sum("reserved"),
            bins=Count("bin_id", distinct=True),
            lots=Count("lot_id", distinct=True),
        )
        .order_by("item__code")
    )


def stock_of_item(*, item_id: int, warehouse_id: int | None = None) -> QuerySet[Quant]:
    """An item's quants holding stock, by warehouse, bin (walking order) and lot expiry."""
    qs = Quant.objects.filter(item_id=item_id, on_hand__gt=0).select_related(
        "bin", "bin__warehouse", "bin__zone", "lot"
    )
    if warehouse_id is not None:
        qs = qs.filter(bin__warehouse_id=warehouse_id)
    return qs.order_by("bin__warehouse__code", "bin__walking_order", "bin__code", "lot__expiry")


def item_get(*, item_id: int) -> Item | None:
    """An ERP item with its unit."""
    return Item.objects.select_related("unit").filter(pk=item_id).first()


# --- lists and details -------------------------------------------------------------------------


def zone_list(*, warehouse_id: int | None = None) -> QuerySet[Zone]:
    """Zones with their warehouse and how many bins each has."""
    qs = Zone.objects.select_related("warehouse").annotate(bin_count=Count("bins"))
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    return qs.order_by("warehouse__code", "code")


def bin_list(
    *, search: str = "", warehouse_id: int | None = None, zone_id: int | None = None
) -> QuerySet[Bin]:
    """Bins with fill, warehouse and zone, searched by code or barcode."""
    qs = bins_with_fill(warehouse_id=warehouse_id)
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(barcode=search))
    return qs


def bin_quants(*, bin_id: int) -> QuerySet[Quant]:
    """What a bin holds, by item and lot."""
    return (
        Quant.objects.filter(bin_id=bin_id, on_hand__gt=0)
        .select_related("item", "item__unit", "lot")
        .order_by("item__code", "lot__expiry", "pk")
    )


def lot_list(*, search: str = "", status: str = "") -> QuerySet[Lot]:
    """Lots with their item and quantity on hand, earliest expiry first."""
    qs = Lot.objects.select_related("item", "item__unit").annotate(
        on_hand=Coalesce(Sum("quants__on_hand"), Value(ZERO), output_field=_QTY)
    )
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(lot_number__icontains=search)
            | Q(item__code__icontains=search)
            | Q(item__barcode=search)
            | Q(item__pinyin_initials__icontains=search)
        )
    return qs.order_by("expiry", "lot_number", "pk")


def lot_quants(*, lot_id: int) -> QuerySet[Quant]:
    """Where a lot lies."""
    return (
        Quant.objects.filter(lot_id=lot_id, on_hand__gt=0)
        .select_related("bin", "bin__warehouse")
        .order_by("bin__warehouse__code", "bin__walking_order", "bin__code")
    )


def lot_serials(*, lot_id: int) -> QuerySet[SerialNumber]:
    """The serial numbers of a lot, with their bin."""
    return SerialNumber.objects.filter(lot_id=lot_id).select_related("bin").order_by("serial")


def expected_receipt_list(*, status: str = "", search: str = "") -> QuerySet[ExpectedReceipt]:
    """Expected receipts with warehouse, supplier and order, newest first."""
    qs = ExpectedReceipt.objects.select_related("warehouse", "supplier", "purchase_order")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(supplier__name__icontains=search)
            | Q(purchase_order__number__icontains=search)
        )
    return qs.order_by("-pk")


def expected_receipt_get(*, pk: int) -> ExpectedReceipt | None:
    """An expected receipt with its lines, items and scans."""
    return (
        expected_receipt_list()
        .prefetch_related("lines__item__unit", "lines__scans__lot")
        .filter(pk=pk)
        .first()
    )


def count_list(*, status: str = "") -> QuerySet[StockCount]:
    """Counts with their warehouse and plan, newest first."""
    qs = StockCount.objects.select_related("warehouse", "plan").annotate(
        line_count=Count("lines"),
        counted=Count("lines", filter=Q(lines__counted_quantity__isnull=False)),
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")


def count_get(*, pk: int) -> StockCount | None:
    """A count with its lines (bin, item, lot)."""
    return (
        StockCount.objects.select_related("warehouse", "plan")
        .prefetch_related("lines__bin", "lines__item", "lines__lot")
        .filter(pk=pk)
        .first()
    )


def move_task_list(*, kind: str = "", status: str = MoveTask.Status.OPEN) -> QuerySet[MoveTask]:
    """Move tasks with their bins, item and lot, oldest first."""
    qs = MoveTask.objects.select_related(
        "warehouse", "item", "item__unit", "lot", "from_bin", "to_bin", "done_bin"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "pk")


# --- scans -------------------------------------------------------------------------------------


def lot_by_number(*, item: Item, number: str) -> Lot | None:
    """The lot of an item a scan names, or None."""
    number = (number or "").strip()
    if not number:
        return None
    return Lot.objects.filter(item=item, lot_number=number).first()


def quant_get(*, bin: Bin, item: Item, lot: Lot | None) -> Quant | None:
    """The quant of a bin × item × lot, or None."""
    return Quant.objects.filter(bin=bin, item=item, lot=lot).first()


def item_in_bin(*, bin: Bin, item: Item) -> bool:
    """Whether a bin holds any of an item."""
    return Quant.objects.filter(bin=bin, item=item, on_hand__gt=0).exists()


def serial_in_bin(*, item: Item, bin: Bin, serial: str) -> bool:
    """Whether a serial number of an item lies free (in stock, not reserved) in a bin."""
    return SerialNumber.objects.filter(
        item=item, bin=bin, serial=serial.strip(), status=SerialNumber.Status.IN_STOCK
    ).exists()


def pick_list_by_number(number: str) -> PickList | None:
    """A pick list a scan names (its number), with its warehouse."""
    number = (number or "").strip()
    if not number:
        return None
    return PickList.objects.select_related("warehouse").filter(number=number).first()


def pick_tasks_open(*, pick_list: PickList) -> list[Allocation]:
    """A pick list's open picks in walking order, with bin, item, lot and serial number."""
    return list(
        Allocation.objects.filter(pick_list=pick_list, status=Allocation.Status.OPEN)
        .select_related("bin", "item", "item__unit", "lot", "serial")
        .order_by("sequence", "pk")
    )


def receipt_by_number(number: str) -> ExpectedReceipt | None:
    """An expected receipt a scan names: its number, or its purchase order's (the open one)."""
    number = (number or "").strip()
    if not number:
        return None
    named = ExpectedReceipt.objects.select_related("warehouse").filter(
        Q(number=number) | Q(purchase_order__number=number)
    )
    # An order may have had several receipts: the open one, else the latest.
    return (
        named.filter(status=ExpectedReceipt.Status.DRAFT).order_by("-pk").first()
        or named.order_by("-pk").first()
    )


def receipt_line_of(*, receipt: ExpectedReceipt, item: Item):
    """The first line of a receipt still expecting an item, or None."""
    return receipt.lines.filter(item=item, cancelled=False).order_by("line_no").first()


def count_by_number(number: str) -> StockCount | None:
    """A count a scan names (its number)."""
    number = (number or "").strip()
    if not number:
        return None
    return StockCount.objects.select_related("warehouse").filter(number=number).first()


def count_has_bin(*, count: StockCount, bin: Bin) -> bool:
    """Whether a bin is one of a count's."""
    return count.bins.filter(pk=bin.pk).exists()


def putaway_tasks(*, from_bin: Bin, item: Item | None = None) -> list[MoveTask]:
    """The open putaway tasks out of a bin (of an item), oldest first."""
    qs = MoveTask.objects.filter(
        from_bin=from_bin, kind=MoveTask.Kind.PUTAWAY, status=MoveTask.Status.OPEN
    )
    if item is not None:
        qs = qs.filter(item=item)
    return list(qs.select_related("item", "lot", "to_bin").order_by("created_at", "pk"))
