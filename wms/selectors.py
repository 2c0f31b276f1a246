"""Reads of WMS: warehouses it runs, bins by barcode, quants, putaway suggestions, the
dashboard's figures, the stock browser, the lists and the scan screens' look-ups — used by the
services, the API and the pages alike. Lists answer in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.db import rows as db_rows
from common.templatetags.numbers import qty
from erp_core.models import Item, Warehouse
from wms.models import (
    Allocation,
    Bin,
    ExpectedReceipt,
    ItemMeasure,
    ItemPlacement,
    Lot,
    MoveTask,
    PickList,
    Quant,
    SerialNumber,
    Transfer,
    WarehouseSetup,
    Zone,
)
from wms.models import Count as StockCount

ZERO = Decimal("0")
_QTY = DecimalField(max_digits=18, decimal_places=6)
WMS_NAME = gettext_lazy("WMS")


def warehouse_setup_get(*, warehouse_id: int) -> WarehouseSetup | None:
    """The WMS set-up of a warehouse (live or not), or None."""
    return (
        WarehouseSetup.objects.select_related("warehouse", "receiving_bin", "default_bin",
                                              "transit_bin")
        .filter(warehouse_id=warehouse_id)
        .first()
    )  # fmt: skip


def live_warehouse_ids() -> set[int]:
    """The warehouses WMS runs."""
    return set(WarehouseSetup.objects.filter(live=True).values_list("warehouse_id", flat=True))


_LIVE_SQL = (
    f"SELECT 1 FROM {WarehouseSetup._meta.db_table} WHERE warehouse_id = %s AND live LIMIT 1"
)


def warehouse_operator(warehouse_id: int):
    """``erp_core.registry`` stock operator: "WMS" when WMS runs the warehouse, else None.

    Asked on every stock move the ERP books by itself, so in plain SQL, prepared once per
    connection (``common.db.rows``): the ORM's compiler would cost more than the query.
    """
    with connection.cursor() as cursor:
        db_rows.execute(cursor, _LIVE_SQL, [warehouse_id])
        if cursor.fetchone() is not None:
            return WMS_NAME
    return None


def bin_by_barcode(barcode: str) -> Bin | None:
    """The bin a scanned barcode names (its barcode), or None."""
    code = (barcode or "").strip()
    if not code:
        return None
    return Bin.objects.select_related("warehouse", "zone").filter(barcode=code).first()


def item_by_barcode(barcode: str) -> Item | None:
    """The item a scanned barcode names (its barcode, else its code), or None."""
    code = (barcode or "").strip()
    if not code:
        return None
    items = Item.objects.select_related("unit")
    return items.filter(barcode=code).order_by("pk").first() or items.filter(code=code).first()


def serial_list() -> QuerySet[SerialNumber]:
    """Serial numbers with their item, lot and bin."""
    return SerialNumber.objects.select_related("item", "lot", "bin").order_by("item", "serial")


def quant_list(
    *, warehouse_id: int | None = None, item_id: int | None = None, search: str = ""
) -> QuerySet[Quant]:
    """Quants holding stock, with bin, warehouse, item and lot; searched by item code, barcode,
    pinyin initials, bin or lot."""
    qs = (
        Quant.objects.select_related("bin", "bin__warehouse", "item", "lot")
        .filter(on_hand__gt=0)
        .order_by("item__code", "bin__warehouse__code", "bin__walking_order", "bin__code", "pk")
    )
    if warehouse_id is not None:
        qs = qs.filter(bin__warehouse_id=warehouse_id)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if search:
        qs = qs.filter(
            Q(item__code__icontains=search)
            | Q(item__barcode=search)
            | Q(item__pinyin_initials__icontains=search)
            | Q(bin__code__icontains=search)
            | Q(bin__barcode=search)
            | Q(lot__lot_number__icontains=search)
        )
    return qs


def quant_totals(*, warehouse_ids: set[int]) -> dict[tuple[int, int], Decimal]:
    """On hand per (item, warehouse) over the quants of these warehouses."""
    rows = (
        Quant.objects.filter(bin__warehouse_id__in=warehouse_ids)
        .values("item_id", "bin__warehouse_id")
        .annotate(total=Sum("on_hand"))
    )
    return {(row["item_id"], row["bin__warehouse_id"]): row["total"] or ZERO for row in rows}


def bin_fill(*, bin: Bin) -> Decimal:
    """Units on hand in a bin."""
    return Quant.objects.filter(bin=bin).aggregate(total=Sum("on_hand"))["total"] or ZERO


_MEASURED = DecimalField(max_digits=32, decimal_places=9)


def _load(prefix: str = "quants__") -> dict:
    """Annotations of what a bin holds: units (``fill``), volume (m³) and weight (kg). An item
    without a measure adds units only."""

    def measured(field: str) -> Coalesce:
        product = ExpressionWrapper(
            F(f"{prefix}on_hand") * F(f"{prefix}item__wms_measure__{field}"),
            output_field=_MEASURED,
        )
        return Coalesce(Sum(product), Value(ZERO), output_field=_MEASURED)

    return {
        "fill": Coalesce(Sum(f"{prefix}on_hand"), Value(ZERO), output_field=_QTY),
        "fill_volume": measured("unit_volume"),
        "fill_weight": measured("unit_weight"),
    }


def item_measure_get(*, item: Item) -> tuple[Decimal, Decimal]:
    """An item's (volume m³, weight kg) per unit; zero for what is not measured."""
    measure = ItemMeasure.objects.filter(item=item).first()
    if measure is None:
        return ZERO, ZERO
    return measure.unit_volume or ZERO, measure.unit_weight or ZERO


def bin_with_load(*, bin_id: int) -> Bin:
    """A bin with ``fill``, ``fill_volume`` and ``fill_weight`` (what it holds)."""
    return Bin.objects.annotate(**_load()).get(pk=bin_id)


def bin_room_refusal(
    *, bin: Bin, item: Item, quantity: Decimal, measure: tuple[Decimal, Decimal] | None = None
) -> str | None:
    """Why ``bin`` (annotated with its load, see ``bin_with_load``) cannot take ``quantity``
    more of ``item`` — its unit, volume or weight capacity — or None when it can."""
    volume, weight = measure if measure is not None else item_measure_get(item=item)
    fill = getattr(bin, "fill", None)
    if fill is None:
        bin = bin_with_load(bin_id=bin.pk)
    if bin.capacity_units is not None and bin.fill + quantity > bin.capacity_units:
        return _(
            "Bin %(bin)s has no room for %(quantity)s more: it holds %(fill)s of "
            "%(capacity)s units."
        ) % {"bin": bin.code, "quantity": qty(quantity), "fill": qty(bin.fill),
             "capacity": qty(bin.capacity_units)}  # fmt: skip
    if (
        bin.capacity_volume is not None
        and volume
        and (bin.fill_volume + quantity * volume > bin.capacity_volume)
    ):
        return _(
            "Bin %(bin)s has no room for %(quantity)s of %(item)s: they take %(need)s m³ and "
            "%(free)s m³ of %(capacity)s m³ is free."
        ) % {"bin": bin.code, "quantity": qty(quantity), "item": item.code,
             "need": qty(quantity * volume),
             "free": qty(max(bin.capacity_volume - bin.fill_volume, ZERO)),
             "capacity": qty(bin.capacity_volume)}  # fmt: skip
    if (
        bin.capacity_weight is not None
        and weight
        and (bin.fill_weight + quantity * weight > bin.capacity_weight)
    ):
        return _(
            "Bin %(bin)s cannot bear %(quantity)s of %(item)s: they weigh %(need)s kg and "
            "%(free)s kg of %(capacity)s kg is left."
        ) % {"bin": bin.code, "quantity": qty(quantity), "item": item.code,
             "need": qty(quantity * weight),
             "free": qty(max(bin.capacity_weight - bin.fill_weight, ZERO)),
             "capacity": qty(bin.capacity_weight)}  # fmt: skip
    return None


def putaway_suggest(
    *, warehouse_id: int, item: Item, lot: Lot | None, quantity: Decimal
) -> Bin | None:
    """Where to put ``quantity`` of an item (of a lot) away, by rule, or None.

    In order: the item's fixed bin; a bin already holding the item and lot; an empty bin in the
    item's preferred zone (any zone when it has none). Only storage and picking bins that are
    not blocked and have room for the quantity — in units, volume and weight (the item's
    ``ItemMeasure``) — are suggested: never a full, blocked, quarantine or receiving bin.
    """
    measure = item_measure_get(item=item)

    def has_room(bin: Bin) -> bool:
        return bin_room_refusal(bin=bin, item=item, quantity=quantity, measure=measure) is None

    candidates = Bin.objects.filter(
        warehouse_id=warehouse_id,
        is_blocked=False,
        bin_type__in=(Bin.Type.STORAGE, Bin.Type.PICKING),
    ).annotate(**_load())
    placement = (
        ItemPlacement.objects.filter(item=item, warehouse_id=warehouse_id)
        .select_related("fixed_bin")
        .first()
    )
    if placement is not None and placement.fixed_bin_id is not None:
        fixed = candidates.filter(pk=placement.fixed_bin_id).first()
        if fixed is not None and has_room(fixed):
            return fixed
    holding = candidates.filter(
        Exists(Quant.objects.filter(bin=OuterRef("pk"), item=item, lot=lot, on_hand__gt=0))
    ).order_by("walking_order", "code")
    for bin in holding:
        if has_room(bin):
            return bin
    empty = candidates.exclude(Exists(Quant.objects.filter(bin=OuterRef("pk"), on_hand__gt=0)))
    if placement is not None and placement.preferred_zone_id is not None:
        empty = empty.filter(zone_id=placement.preferred_zone_id)
    for bin in empty.order_by("walking_order", "code"):
        if has_room(bin):
            return bin
    return None


def transfer_list() -> QuerySet[Transfer]:
    """Transfers with their warehouses and lines."""
    return Transfer.objects.select_related("from_warehouse", "to_warehouse").prefetch_related(
        "lines__item", "lines__lot", "lines__from_bin"
    )


def warehouse_get(*, warehouse_id: int) -> Warehouse | None:
    """An ERP warehouse by id."""
    return Warehouse.objects.filter(pk=warehouse_id).first()


def bin_fill_of(*, bin: Bin, item: Item) -> Decimal:
    """Units of one item on hand in a bin."""
    return Quant.objects.filter(bin=bin, item=item).aggregate(total=Sum("on_hand"))["total"] or ZERO


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
    qs = Bin.objects.select_related("warehouse", "zone").annotate(fill=_filled())  # type: ignore[no-redef]
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    return qs.order_by("warehouse__code", "walking_order", "code")


def bins_full(*, warehouse_id: int | None = None) -> QuerySet[Bin]:
    """Bins with a unit capacity that are filled to it."""
    return bins_with_fill(warehouse_id=warehouse_id).filter(
        capacity_units__isnull=False, fill__gte=F("capacity_units")
    )  # type: ignore[misc]  # fill: an annotation


def bins_empty(*, warehouse_id: int | None = None) -> QuerySet[Bin]:
    """Storage and picking bins holding nothing, not blocked: where putaway can go."""
    return bins_with_fill(warehouse_id=warehouse_id).filter(
        fill__lte=0, is_blocked=False, bin_type__in=(Bin.Type.STORAGE, Bin.Type.PICKING)
    )  # type: ignore[misc]  # fill: an annotation


def bin_heat_map(*, warehouse_id: int) -> dict:
    """The bin-fill heat map of a warehouse: one row per zone, one cell per bin in walking
    order, valued by how full the bin is (per cent of its unit capacity; None when it has no
    capacity, so only its units are shown)."""
    rows: dict[str, list[dict]] = {}
    for bin in bins_with_fill(warehouse_id=warehouse_id):
        zone = bin.zone.code if bin.zone is not None else "—"
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


def expected_receipt_detail_list(
    *, status: str = "", search: str = ""
) -> QuerySet[ExpectedReceipt]:
    """Expected receipts with their lines, items and scans (a detail page or API answer)."""
    return expected_receipt_list(status=status, search=search).prefetch_related(
        "lines__item__unit", "lines__scans__lot"
    )


def expected_receipt_get(*, pk: int) -> ExpectedReceipt | None:
    """An expected receipt with its lines, items and scans."""
    return expected_receipt_detail_list().filter(pk=pk).first()


def count_list(*, status: str = "") -> QuerySet[StockCount]:
    """Counts with their warehouse and plan, newest first."""
    qs = StockCount.objects.select_related("warehouse", "plan").annotate(
        line_count=Count("lines"),
        counted=Count("lines", filter=Q(lines__counted_quantity__isnull=False)),
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-pk")


def count_detail_list(*, status: str = "") -> QuerySet[StockCount]:
    """Counts with their lines (bin, item, lot, serial numbers): a detail page or API answer."""
    return count_list(status=status).prefetch_related(
        "lines__bin", "lines__item", "lines__lot", "lines__serials"
    )


def count_get(*, pk: int) -> StockCount | None:
    """A count with its lines (bin, item, lot)."""
    return count_detail_list().filter(pk=pk).first()


def move_task_list(*, kind: str = "", status: str = "") -> QuerySet[MoveTask]:
    """Move tasks with their bins, item and lot, by status then oldest first."""
    qs = MoveTask.objects.select_related(
        "warehouse", "item", "item__unit", "lot", "from_bin", "to_bin", "done_bin"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "created_at", "pk")


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
