"""Reads of WMS: warehouses it runs, bins by barcode, quants, putaway suggestions."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from erp_core.models import Item, Warehouse
from wms.models import (
    Bin,
    Count,
    ExpectedReceipt,
    ItemPlacement,
    Lot,
    MoveTask,
    Quant,
    SerialNumber,
    Transfer,
    WarehouseSetup,
    Zone,
)

ZERO = Decimal("0")
WMS_NAME = _("WMS")


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


def warehouse_operator(warehouse_id: int):
    """``erp_core.registry`` stock operator: "WMS" when WMS runs the warehouse, else None."""
    if WarehouseSetup.objects.filter(warehouse_id=warehouse_id, live=True).exists():
        return WMS_NAME
    return None


def zone_list() -> QuerySet[Zone]:
    """Zones with their warehouse."""
    return Zone.objects.select_related("warehouse").order_by("warehouse__code", "code")


def bin_list(*, warehouse_id: int | None = None) -> QuerySet[Bin]:
    """Bins in walking order, with their warehouse and zone."""
    qs = Bin.objects.select_related("warehouse", "zone").order_by(
        "warehouse__code", "walking_order", "code"
    )
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    return qs


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


def lot_list() -> QuerySet[Lot]:
    """Lots with their item, earliest expiry first."""
    return Lot.objects.select_related("item").order_by("expiry", "lot_number", "pk")


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


def _has_room(bin: Bin, quantity: Decimal, fill: Decimal) -> bool:
    return bin.capacity_units is None or fill + quantity <= bin.capacity_units


def putaway_suggest(
    *, warehouse_id: int, item: Item, lot: Lot | None, quantity: Decimal
) -> Bin | None:
    """Where to put ``quantity`` of an item (of a lot) away, by rule, or None.

    In order: the item's fixed bin; a bin already holding the item and lot; an empty bin in the
    item's preferred zone (any zone when it has none). Only storage and picking bins that are
    not blocked and have room for the quantity are suggested: never a full, blocked, quarantine
    or receiving bin.
    """
    candidates = Bin.objects.filter(
        warehouse_id=warehouse_id,
        is_blocked=False,
        bin_type__in=(Bin.Type.STORAGE, Bin.Type.PICKING),
    ).annotate(fill=Sum("quants__on_hand"))
    placement = (
        ItemPlacement.objects.filter(item=item, warehouse_id=warehouse_id)
        .select_related("fixed_bin")
        .first()
    )
    if placement is not None and placement.fixed_bin_id is not None:
        fixed = candidates.filter(pk=placement.fixed_bin_id).first()
        if fixed is not None and _has_room(fixed, quantity, fixed.fill or ZERO):
            return fixed
    holding = candidates.filter(
        Exists(Quant.objects.filter(bin=OuterRef("pk"), item=item, lot=lot, on_hand__gt=0))
    ).order_by("walking_order", "code")
    for bin in holding:
        if _has_room(bin, quantity, bin.fill or ZERO):
            return bin
    empty = candidates.exclude(Exists(Quant.objects.filter(bin=OuterRef("pk"), on_hand__gt=0)))
    if placement is not None and placement.preferred_zone_id is not None:
        empty = empty.filter(zone_id=placement.preferred_zone_id)
    for bin in empty.order_by("walking_order", "code"):
        if _has_room(bin, quantity, ZERO):
            return bin
    return None


def expected_receipt_list() -> QuerySet[ExpectedReceipt]:
    """Expected receipts with their warehouse, supplier and order."""
    return ExpectedReceipt.objects.select_related("warehouse", "supplier", "purchase_order")


def expected_receipt_detail_list() -> QuerySet[ExpectedReceipt]:
    """Expected receipts with their lines and items (a detail page or API answer)."""
    return expected_receipt_list().prefetch_related("lines__item", "lines__scans__lot")


def move_task_list() -> QuerySet[MoveTask]:
    """Move tasks with their bins, item and lot."""
    return MoveTask.objects.select_related(
        "warehouse", "item", "lot", "from_bin", "to_bin", "done_bin"
    ).order_by("status", "created_at", "pk")


def transfer_list() -> QuerySet[Transfer]:
    """Transfers with their warehouses and lines."""
    return Transfer.objects.select_related("from_warehouse", "to_warehouse").prefetch_related(
        "lines__item", "lines__lot", "lines__from_bin"
    )


def count_list() -> QuerySet[Count]:
    """Counts with their warehouse and lines."""
    return Count.objects.select_related("warehouse", "plan").prefetch_related(
        "lines__bin", "lines__item", "lines__lot"
    )


def warehouse_get(*, warehouse_id: int) -> Warehouse | None:
    """An ERP warehouse by id."""
    return Warehouse.objects.filter(pk=warehouse_id).first()


def bin_fill_of(*, bin: Bin, item: Item) -> Decimal:
    """Units of one item on hand in a bin."""
    return Quant.objects.filter(bin=bin, item=item).aggregate(total=Sum("on_hand"))["total"] or ZERO
