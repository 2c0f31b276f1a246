"""Reads of the ERP core, used by views, the API and services alike."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from erp_core.masterdata.bom import BomCycleError, BomVersion, GraphLine, explode, where_used
from erp_core.models import (
    BillOfMaterials,
    BomLine,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    Routing,
    RoutingOperation,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)


def partner_list(*, user=None, search: str = "", with_contacts: bool = False) -> QuerySet[Partner]:
    """Partners visible to the user (a partner's user sees only its own), optionally searched.

    ``with_contacts`` prefetches addresses and contacts (two queries, whatever the rows).
    """
    qs = Partner.objects.select_related("currency").order_by("code")
    if with_contacts:
        qs = qs.prefetch_related("addresses", "contacts")
    if user is not None and getattr(user, "partner_id", None):
        qs = qs.filter(pk=user.partner_id)
    if search:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(tax_id__icontains=search)
        )
    return qs


# --- Master data ------------------------------------------------------------------------------

QUANTITY_QUANTUM = Decimal("0.000001")


def unit_list(*, search: str = "") -> QuerySet[UnitOfMeasure]:
    """Units of measure, optionally searched by code or name."""
    qs = UnitOfMeasure.objects.all().order_by("code")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def unit_conversion_list(
    *, item: Item | None = None, unit: UnitOfMeasure | None = None
) -> QuerySet[UnitConversion]:
    """Unit conversions with their units and item; only those of ``item`` (and general) if given,
    only those from or to ``unit`` if given."""
    qs = UnitConversion.objects.select_related("from_unit", "to_unit", "item").order_by(
        "from_unit__code", "to_unit__code", "pk"
    )
    if item is not None:
        qs = qs.filter(Q(item=item) | Q(item__isnull=True))
    if unit is not None:
        qs = qs.filter(Q(from_unit=unit) | Q(to_unit=unit))
    return qs


def uom_convert(
    *,
    quantity: Decimal,
    from_unit: UnitOfMeasure,
    to_unit: UnitOfMeasure,
    item: Item | None = None,
) -> Decimal:
    """``quantity`` in ``from_unit`` expressed in ``to_unit``, rounded to 6 places.

    An item's own conversion wins over a general one; a conversion also works backwards
    (1 BOX = 12 PCS gives 24 PCS = 2 BOX). No conversion: ValidationError.
    """
    quantity = Decimal(quantity)
    if from_unit.pk == to_unit.pk:
        return quantity
    pair = Q(from_unit=from_unit, to_unit=to_unit) | Q(from_unit=to_unit, to_unit=from_unit)
    scope = Q(item__isnull=True) if item is None else Q(item=item) | Q(item__isnull=True)
    candidates = sorted(
        UnitConversion.objects.filter(pair & scope),
        key=lambda conv: (conv.item_id is None, conv.from_unit_id != from_unit.pk),
    )
    if not candidates:
        raise ValidationError(
            _("No conversion from %(from)s to %(to)s%(for_item)s.")
            % {
                "from": from_unit.code,
                "to": to_unit.code,
                "for_item": _(" for %(item)s") % {"item": item.code} if item else "",
            },
            code="no_unit_conversion",
        )
    conversion = candidates[0]
    if conversion.from_unit_id == from_unit.pk:
        result = quantity * conversion.factor
    else:
        result = quantity / conversion.factor
    return result.quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)


def item_category_list(*, search: str = "") -> QuerySet[ItemCategory]:
    """Item categories with their parent, optionally searched by code or name."""
    qs = ItemCategory.objects.select_related("parent").order_by("code")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def tax_code_list(*, search: str = "") -> QuerySet[TaxCode]:
    """Tax codes by code, optionally searched by code or name."""
    qs = TaxCode.objects.all().order_by("code")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def currency_list(*, search: str = "") -> QuerySet[Currency]:
    """Currencies by ISO code, optionally searched by code or name."""
    qs = Currency.objects.all().order_by("code")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def exchange_rate_list(*, currency: Currency | None = None) -> QuerySet[ExchangeRate]:
    """Exchange rates with their currency, newest first per currency; one currency's if given."""
    qs = ExchangeRate.objects.select_related("currency").order_by("currency__code", "-date")
    if currency is not None:
        qs = qs.filter(currency=currency)
    return qs


def exchange_rate_on(currency: Currency, on_date: date) -> Decimal:
    """The CNY value of one unit of ``currency`` on ``on_date``: the latest rate on or before it.

    The base currency is 1. No rate that early: ValidationError.
    """
    if currency.is_base:
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(currency=currency, date__lte=on_date)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise ValidationError(
            _("No exchange rate for %(currency)s on or before %(date)s.")
            % {"currency": currency.code, "date": on_date.isoformat()},
            code="no_exchange_rate",
        )
    return rate


def item_list(
    *,
    search: str = "",
    category: ItemCategory | int | None = None,
    item_type: str = "",
    include_subcategories: bool = True,
) -> QuerySet[Item]:
    """Items with unit, category and VAT, searched by code, name, barcode or pinyin initials.

    Typing GBL finds 钢板料 (its initials); a category includes its sub-categories.
    """
    qs = Item.objects.select_related("unit", "category", "vat").order_by("code")
    if search:
        qs = qs.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(barcode__icontains=search)
            | Q(pinyin_initials__icontains=search)
            | Q(specification__icontains=search)
        )
    if category:
        category_id = category.pk if isinstance(category, ItemCategory) else int(category)
        ids = item_category_descendant_ids(category_id) if include_subcategories else {category_id}
        qs = qs.filter(category_id__in=ids)
    if item_type:
        qs = qs.filter(item_type=item_type)
    return qs


def item_category_descendant_ids(category_id: int) -> set[int]:
    """The id of a category and of every category below it (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in ItemCategory.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [category_id]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        stack.extend(children.get(node, ()))
    return found


def warehouse_list(*, search: str = "", active_only: bool = False) -> QuerySet[Warehouse]:
    """Warehouses by code, optionally searched and only the active ones."""
    qs = Warehouse.objects.all().order_by("code")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def work_center_list(*, search: str = "") -> QuerySet[WorkCenter]:
    """Work centers by code, optionally searched by code or name."""
    qs = WorkCenter.objects.all().order_by("code")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def work_center_capacity_hours(work_center: WorkCenter, on_date: date) -> Decimal:
    """Machine hours the work center offers on ``on_date``: none on a day off."""
    if not work_center.is_working_day(on_date):
        return Decimal(0)
    return work_center.capacity_hours_per_day


def bom_list(*, item: Item | None = None) -> QuerySet[BillOfMaterials]:
    """BOM versions with their item and lines (components and units prefetched)."""
    qs = (
        BillOfMaterials.objects.select_related("item", "item__unit")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=BomLine.objects.select_related("component", "component__unit").order_by(
                    "sequence", "pk"
                ),
            )
        )
        .order_by("item__code", "-valid_from", "version")
    )
    if item is not None:
        qs = qs.filter(item=item)
    return qs


def routing_list(*, item: Item | None = None) -> QuerySet[Routing]:
    """Routing versions with their item and operations (work centers prefetched)."""
    qs = (
        Routing.objects.select_related("item")
        .prefetch_related(
            Prefetch(
                "operations",
                queryset=RoutingOperation.objects.select_related("work_center").order_by(
                    "sequence", "pk"
                ),
            )
        )
        .order_by("item__code", "-valid_from", "version")
    )
    if item is not None:
        qs = qs.filter(item=item)
    return qs


def bom_graph_load(
    *, on_date: date | None = None, exclude_bom_id: int | None = None
) -> dict[int, list[BomVersion]]:
    """The active BOMs as a graph for ``erp_core.masterdata.bom`` (two queries).

    With ``on_date`` only versions valid that day; ``exclude_bom_id`` leaves one version out
    (the one being replaced).
    """
    boms = BillOfMaterials.objects.filter(is_active=True)
    if on_date is not None:
        boms = boms.filter(valid_from__lte=on_date).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)
        )
    if exclude_bom_id is not None:
        boms = boms.exclude(pk=exclude_bom_id)
    lines: dict[int, list[GraphLine]] = {}
    for bom_id, component_id, quantity_per, scrap, phantom, sequence in BomLine.objects.filter(
        bom__in=boms
    ).values_list(
        "bom_id", "component_id", "quantity_per", "scrap_percent", "is_phantom", "sequence"
    ):
        lines.setdefault(bom_id, []).append(
            GraphLine(
                component_id=component_id,
                quantity_per=quantity_per,
                scrap_percent=scrap,
                is_phantom=phantom,
                sequence=sequence,
            )
        )
    graph: dict[int, list[BomVersion]] = {}
    for bom_id, item_id, valid_from, valid_to in boms.values_list(
        "pk", "item_id", "valid_from", "valid_to"
    ):
        graph.setdefault(item_id, []).append(
            BomVersion(
                bom_id=bom_id,
                valid_from=valid_from,
                valid_to=valid_to,
                lines=tuple(lines.get(bom_id, ())),
            )
        )
    return graph


@dataclass(frozen=True)
class ExplosionRow:
    """A line of an explosion with its items loaded, for pages and the API."""

    level: int
    parent: Item
    component: Item
    quantity_per: Decimal
    scrap_percent: Decimal
    quantity: Decimal
    is_leaf: bool
    via_phantom: Item | None


@dataclass(frozen=True)
class Requirement:
    """The total quantity of a leaf component the explosion needs."""

    component: Item
    quantity: Decimal


@dataclass(frozen=True)
class BomExplosion:
    """The explosion of ``quantity`` of ``bom``'s item on ``on_date``."""

    bom: BillOfMaterials
    quantity: Decimal
    on_date: date
    lines: list[ExplosionRow]
    requirements: list[Requirement]


def bom_explode(*, bom: BillOfMaterials, quantity: Decimal, on_date: date) -> BomExplosion:
    """Explode ``quantity`` of ``bom``'s item through this BOM and, below it, the BOMs valid on
    ``on_date``; with scrap, phantoms exploded through and leaf requirements summed.

    Quantity must be above zero; a cycle in stored data is a ValidationError naming the path.
    """
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError({"quantity": _("Must be greater than zero.")})
    graph = bom_graph_load(on_date=on_date)
    root_lines = tuple(
        GraphLine(
            component_id=line.component_id,
            quantity_per=line.quantity_per,
            scrap_percent=line.scrap_percent,
            is_phantom=line.is_phantom,
            sequence=line.sequence,
        )
        for line in bom.lines.all()
    )
    graph[bom.item_id] = [BomVersion(bom_id=bom.pk, valid_from=date.min, lines=root_lines)]
    try:
        explosion = explode(graph, bom.item_id, quantity, on_date)
    except BomCycleError as error:
        codes = dict(Item.objects.filter(pk__in=set(error.path)).values_list("pk", "code"))
        raise ValidationError(
            _("The BOM structure makes a cycle: %(path)s.")
            % {"path": " → ".join(codes.get(pk, str(pk)) for pk in error.path)},
            code="bom_cycle",
        ) from error
    ids = {bom.item_id, *explosion.requirements}
    for line in explosion.lines:
        ids.update((line.parent_id, line.component_id))
        if line.via_phantom:
            ids.add(line.via_phantom)
    items = Item.objects.select_related("unit").in_bulk(ids)
    return BomExplosion(
        bom=bom,
        quantity=quantity,
        on_date=on_date,
        lines=[
            ExplosionRow(
                level=line.level,
                parent=items[line.parent_id],
                component=items[line.component_id],
                quantity_per=line.quantity_per,
                scrap_percent=line.scrap_percent,
                quantity=line.quantity,
                is_leaf=line.is_leaf,
                via_phantom=items[line.via_phantom] if line.via_phantom else None,
            )
            for line in explosion.lines
        ],
        requirements=[
            Requirement(component=items[pk], quantity=qty)
            for pk, qty in explosion.requirements.items()
        ],
    )


@dataclass(frozen=True)
class WhereUsed:
    """A parent that uses an item, directly (level 1) or through other assemblies."""

    level: int
    parent: Item
    component: Item
    quantity_per: Decimal
    bom_id: int


def item_where_used(*, item: Item, on_date: date | None = None) -> list[WhereUsed]:
    """Every assembly that uses ``item``, up to the finished goods, in active BOMs.

    With ``on_date``, only BOM versions valid that day.
    """
    graph = bom_graph_load(on_date=on_date)
    rows = where_used(graph, item.pk, on_date)
    ids = {item.pk} | {row.parent_id for row in rows} | {row.component_id for row in rows}
    items = Item.objects.select_related("unit").in_bulk(ids)
    return [
        WhereUsed(
            level=row.level,
            parent=items[row.parent_id],
            component=items[row.component_id],
            quantity_per=row.quantity_per,
            bom_id=row.bom_id,
        )
        for row in rows
    ]


# --- Lists of the staff pages ------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryNode:
    """A category of the tree with its depth (0 for a root), in depth-first order."""

    category: ItemCategory
    depth: int


def item_category_tree() -> list[CategoryNode]:
    """The category tree depth-first, children by code (one query)."""
    categories = list(ItemCategory.objects.select_related("parent").order_by("code"))
    children: dict[int | None, list[ItemCategory]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    nodes: list[CategoryNode] = []
    seen: set[int] = set()
    stack = [(category, 0) for category in reversed(children.get(None, []))]
    while stack:
        category, depth = stack.pop()
        if category.pk in seen:
            continue
        seen.add(category.pk)
        nodes.append(CategoryNode(category=category, depth=depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(category.pk, [])))
    return nodes


def bom_header_list(*, search: str = "", active: bool | None = None) -> QuerySet[BillOfMaterials]:
    """BOM versions with their item and a line count (no lines loaded), searched by item."""
    qs = (
        BillOfMaterials.objects.select_related("item", "item__unit")
        .annotate(line_count=Count("lines"))
        .order_by("item__code", "-valid_from", "version")
    )
    if search:
        qs = qs.filter(Q(item__code__icontains=search) | Q(item__name__icontains=search))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def routing_header_list(*, search: str = "", active: bool | None = None) -> QuerySet[Routing]:
    """Routing versions with their item and an operation count, searched by item."""
    qs = (
        Routing.objects.select_related("item")
        .annotate(operation_count=Count("operations"))
        .order_by("item__code", "-valid_from", "version")
    )
    if search:
        qs = qs.filter(Q(item__code__icontains=search) | Q(item__name__icontains=search))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs
