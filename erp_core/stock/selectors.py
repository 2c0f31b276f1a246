"""Reads of the stock ledger: moves, balances and the valuation totals."""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from erp_core.stock.models import StockBalance, StockMove


def stock_move_list(
    *,
    item_id: int | None = None,
    warehouse_id: int | None = None,
    reason: str | None = None,
    search: str = "",
) -> QuerySet[StockMove]:
    """Ledger rows in booking order, with their item, warehouse and journal entry; filtered by
    item, warehouse and reason, searched by item code, name or pinyin initials."""
    qs = StockMove.objects.select_related(
        "item", "item__unit", "warehouse", "journal_entry"
    ).order_by("moved_at", "pk")
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    if reason:
        qs = qs.filter(reason=reason)
    if search:
        qs = qs.filter(
            Q(item__code__icontains=search)
            | Q(item__name__icontains=search)
            | Q(item__pinyin_initials__icontains=search)
        )
    return qs


def stock_on_hand(*, item_id: int) -> list[StockBalance]:
    """What ``item`` has on hand in each active warehouse holding it (or that held it), by
    warehouse code: one query."""
    return list(
        StockBalance.objects.filter(item_id=item_id, warehouse__is_active=True)
        .select_related("warehouse")
        .order_by("warehouse__code")
    )


def stock_balance_list(
    *, item_id: int | None = None, warehouse_id: int | None = None, search: str = ""
) -> QuerySet[StockBalance]:
    """Balances per item × warehouse, with their item and warehouse; searched by item."""
    qs = StockBalance.objects.select_related("item", "item__unit", "warehouse").order_by(
        "item__code", "warehouse__code"
    )
    if search:
        qs = qs.filter(
            Q(item__code__icontains=search)
            | Q(item__name__icontains=search)
            | Q(item__pinyin_initials__icontains=search)
        )
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if warehouse_id is not None:
        qs = qs.filter(warehouse_id=warehouse_id)
    return qs


def stock_valuation_total() -> Decimal:
    """The value of all stock on hand: the sum of the balances."""
    return StockBalance.objects.aggregate(total=Sum("value"))["total"] or Decimal("0.00")


def stock_valuation_by_category() -> dict[str | None, Decimal]:
    """The value of stock on hand per item category code (None: items without a category)."""
    rows = StockBalance.objects.values("item__category__code").annotate(total=Sum("value"))
    return {row["item__category__code"]: row["total"] or Decimal("0.00") for row in rows}
