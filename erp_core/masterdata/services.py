"""Master-data services: the only code that changes partners, items, units, taxes, currencies,
warehouses, work centers, BOMs and routings."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from common.errors import Conflict
from erp_core.masterdata import selectors
from erp_core.masterdata.bom import BomVersion, GraphLine, find_cycle
from erp_core.masterdata.mnemonic import pinyin_initials
from erp_core.masterdata.models.items import MAX_UNIT_DECIMALS
from erp_core.masterdata.quantities import CATEGORY_DECIMALS
from erp_core.masterdata.signals import item_standard_cost_changed
from erp_core.models import (
    BASE_CURRENCY_CODE,
    BillOfMaterials,
    BomLine,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    PartnerAddress,
    PartnerContact,
    Routing,
    RoutingOperation,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)

PARTNER_FIELDS = (
    "code",
    "name",
    "kind",
    "tax_id",
    "email",
    "phone",
    "is_active",
    "payment_terms_days",
    "credit_limit",
    "currency",
    "bank_name",
    "bank_account",
    "invoice_title",
    "invoice_address_phone",
)


@transaction.atomic
def partner_create(*, code: str, name: str, kind: str, **fields) -> Partner:
    """Create a partner after full validation (unique code, known kind, tax id format)."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    if fields.get("currency") is None:
        fields["currency"] = Currency.objects.filter(code=BASE_CURRENCY_CODE).first()
    partner = Partner(code=code.strip(), name=name.strip(), kind=kind, **fields)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    """Change a partner's fields; the history keeps who changed what."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    for field, value in fields.items():
        setattr(partner, field, value.strip() if isinstance(value, str) else value)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_delete(*, partner: Partner) -> None:
    """Delete a partner nobody signs in for; one with users is refused (Conflict)."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.users.exists():
        raise Conflict(
            _("This partner still has users: remove or reassign them first."),
            code="partner_has_users",
        )
    partner.delete()


# --- Master data ------------------------------------------------------------------------------
#
# Each entity has <entity>_create / _update / _delete. They validate the whole row (model clean,
# constraints) and refuse unknown fields, so a typo never passes silently.


def _refuse_unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    """Refuse fields the entity does not have (or that are not editable)."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})


def _cleaned(value):
    """Strings are stored without surrounding blanks."""
    return value.strip() if isinstance(value, str) else value


def _create(model: type, allowed: tuple[str, ...], fields: dict):
    """Build, fully validate and save a new row of ``model``."""
    _refuse_unknown(fields, allowed)
    instance = model(**{name: _cleaned(value) for name, value in fields.items()})
    instance.full_clean()
    instance.save()
    return instance


def _update(instance, allowed: tuple[str, ...], fields: dict):
    """Lock the row, apply ``fields``, fully validate and save; the history records the change."""
    _refuse_unknown(fields, allowed)
    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    for name, value in fields.items():
        setattr(instance, name, _cleaned(value))
    instance.full_clean()
    instance.save()
    return instance


def _delete(instance) -> None:
    """Delete a row nothing refers to; a referenced one is refused (Conflict)."""
    try:
        with transaction.atomic():
            type(instance).objects.select_for_update().get(pk=instance.pk).delete()
    except ProtectedError as error:
        raise Conflict(
            _("%(object)s is still used by other records.") % {"object": instance},
            code="protected",
        ) from error


UNIT_FIELDS = ("code", "name", "category", "decimals")


@transaction.atomic
def unit_create(
    *, code: str, name: str, category: str, decimals: int | None = None
) -> UnitOfMeasure:
    """Create a unit of measure; codes are unique. Its quantities take ``decimals`` decimal
    places, by default its category's (pieces whole, kilograms 3, metres 2)."""
    if decimals is None:
        decimals = CATEGORY_DECIMALS.get(category, MAX_UNIT_DECIMALS)
    return _create(
        UnitOfMeasure,
        UNIT_FIELDS,
        {"code": code, "name": name, "category": category, "decimals": decimals},
    )


@transaction.atomic
def unit_update(*, unit: UnitOfMeasure, **fields) -> UnitOfMeasure:
    """Change a unit of measure."""
    return _update(unit, UNIT_FIELDS, fields)


@transaction.atomic
def unit_delete(*, unit: UnitOfMeasure) -> None:
    """Delete a unit no item or conversion uses."""
    _delete(unit)


UNIT_CONVERSION_FIELDS = ("from_unit", "to_unit", "factor", "item")


@transaction.atomic
def unit_conversion_create(
    *,
    from_unit: UnitOfMeasure,
    to_unit: UnitOfMeasure,
    factor: Decimal,
    item: Item | None = None,
) -> UnitConversion:
    """Declare ``1 from_unit = factor × to_unit``, for every item or for ``item`` alone."""
    return _create(
        UnitConversion,
        UNIT_CONVERSION_FIELDS,
        {"from_unit": from_unit, "to_unit": to_unit, "factor": factor, "item": item},
    )


@transaction.atomic
def unit_conversion_update(*, conversion: UnitConversion, **fields) -> UnitConversion:
    """Change a unit conversion."""
    return _update(conversion, UNIT_CONVERSION_FIELDS, fields)


@transaction.atomic
def unit_conversion_delete(*, conversion: UnitConversion) -> None:
    """Delete a unit conversion."""
    _delete(conversion)


ITEM_CATEGORY_FIELDS = ("code", "name", "parent")


@transaction.atomic
def item_category_create(
    *, code: str, name: str, parent: ItemCategory | None = None
) -> ItemCategory:
    """Create a category of the item tree."""
    return _create(
        ItemCategory, ITEM_CATEGORY_FIELDS, {"code": code, "name": name, "parent": parent}
    )


@transaction.atomic
def item_category_update(*, category: ItemCategory, **fields) -> ItemCategory:
    """Change a category; moving it under itself or a descendant is refused (a cycle)."""
    return _update(category, ITEM_CATEGORY_FIELDS, fields)


@transaction.atomic
def item_category_delete(*, category: ItemCategory) -> None:
    """Delete a category without items or sub-categories."""
    _delete(category)


TAX_CODE_FIELDS = ("code", "name", "rate", "is_active")

# The VAT rates of mainland China (general taxpayers), as the demo and a fresh install need them.
STANDARD_TAX_CODES = (
    ("VAT13", "增值税 13%", Decimal("0.13")),
    ("VAT9", "增值税 9%", Decimal("0.09")),
    ("VAT6", "增值税 6%", Decimal("0.06")),
    ("VAT0", "增值税 0%", Decimal("0")),
)


@transaction.atomic
def tax_code_create(*, code: str, name: str, rate: Decimal, is_active: bool = True) -> TaxCode:
    """Create a tax code; the rate is a fraction from 0 up to (not including) 1."""
    return _create(
        TaxCode,
        TAX_CODE_FIELDS,
        {"code": code, "name": name, "rate": rate, "is_active": is_active},
    )


@transaction.atomic
def tax_code_update(*, tax_code: TaxCode, **fields) -> TaxCode:
    """Change a tax code."""
    return _update(tax_code, TAX_CODE_FIELDS, fields)


@transaction.atomic
def tax_code_delete(*, tax_code: TaxCode) -> None:
    """Delete a tax code no item uses."""
    _delete(tax_code)


@transaction.atomic
def tax_codes_seed() -> list[TaxCode]:
    """Create the standard VAT codes (13 %, 9 %, 6 %, 0 %) that are missing; idempotent."""
    result = []
    for code, name, rate in STANDARD_TAX_CODES:
        existing = TaxCode.objects.filter(code=code).first()
        result.append(existing or tax_code_create(code=code, name=name, rate=rate))
    return result


CURRENCY_FIELDS = ("code", "name", "decimals")


@transaction.atomic
def currency_create(*, code: str, name: str, decimals: int = 2) -> Currency:
    """Create a currency by its ISO 4217 code (upper-cased)."""
    return _create(
        Currency,
        CURRENCY_FIELDS,
        {"code": code.strip().upper(), "name": name, "decimals": decimals},
    )


@transaction.atomic
def currency_update(*, currency: Currency, **fields) -> Currency:
    """Change a currency."""
    if isinstance(fields.get("code"), str):
        fields["code"] = fields["code"].strip().upper()
    return _update(currency, CURRENCY_FIELDS, fields)


@transaction.atomic
def currency_delete(*, currency: Currency) -> None:
    """Delete a currency nothing refers to."""
    _delete(currency)


EXCHANGE_RATE_FIELDS = ("currency", "date", "rate")


@transaction.atomic
def exchange_rate_create(*, currency: Currency, date: date, rate: Decimal) -> ExchangeRate:
    """Record the CNY value of one unit of ``currency`` from ``date`` on; one rate a day."""
    if currency.is_base:
        raise ValidationError({"currency": _("The base currency has no exchange rate.")})
    return _create(
        ExchangeRate, EXCHANGE_RATE_FIELDS, {"currency": currency, "date": date, "rate": rate}
    )


@transaction.atomic
def exchange_rate_update(*, exchange_rate: ExchangeRate, **fields) -> ExchangeRate:
    """Correct an exchange rate."""
    return _update(exchange_rate, EXCHANGE_RATE_FIELDS, fields)


@transaction.atomic
def exchange_rate_delete(*, exchange_rate: ExchangeRate) -> None:
    """Delete an exchange rate."""
    _delete(exchange_rate)


ITEM_FIELDS = (
    "code",
    "name",
    "specification",
    "category",
    "item_type",
    "make_or_buy",
    "unit",
    "tracking",
    "shelf_life_days",
    "costing_method",
    "standard_cost",
    "list_price",
    "vat",
    "purchase_lead_time_days",
    "production_lead_time_days",
    "safety_stock",
    "reorder_point",
    "min_order_qty",
    "order_multiple",
    "lot_sizing",
    "fixed_order_qty",
    "period_order_days",
    "barcode",
    "pinyin_initials",
    "is_active",
)


@transaction.atomic
def item_create(*, code: str, name: str, item_type: str, unit: UnitOfMeasure, **fields) -> Item:
    """Create an item; its pinyin initials are computed from the name unless given.

    Refused: a service with tracking or stock levels, order quantities not above zero, a code
    or barcode already taken.
    """
    if not fields.get("pinyin_initials"):
        fields["pinyin_initials"] = pinyin_initials(name)
    return _create(
        Item,
        ITEM_FIELDS,
        {"code": code, "name": name, "item_type": item_type, "unit": unit, **fields},
    )


@transaction.atomic
def item_update(*, item: Item, **fields) -> Item:
    """Change an item. A new name recomputes the pinyin initials unless they were hand-edited.

    A new standard cost is announced (``item_standard_cost_changed``): the stock ledger
    revalues a standard-cost item's stock on hand at once, in this transaction.
    """
    if "name" in fields and "pinyin_initials" not in fields:
        current = Item.objects.filter(pk=item.pk).values_list("name", "pinyin_initials").get()
        if current[1] in ("", pinyin_initials(current[0])):
            fields["pinyin_initials"] = pinyin_initials(fields["name"])
    elif "pinyin_initials" in fields and not fields["pinyin_initials"]:
        fields["pinyin_initials"] = pinyin_initials(fields.get("name", item.name))
    if "standard_cost" not in fields:
        return _update(item, ITEM_FIELDS, fields)
    old_cost = (
        Item.objects.select_for_update().values_list("standard_cost", flat=True).get(pk=item.pk)
    )
    item = _update(item, ITEM_FIELDS, fields)
    if item.standard_cost != old_cost:
        # The stock ledger revalues the stock on hand now (see erp_core.masterdata.signals).
        item_standard_cost_changed.send(sender=Item, item=item, old_cost=old_cost)
    return item


@transaction.atomic
def item_delete(*, item: Item) -> None:
    """Delete an item no BOM, routing or document uses; else deactivate it instead."""
    _delete(item)


WAREHOUSE_FIELDS = ("code", "name", "address", "is_active", "allow_negative_stock")


@transaction.atomic
def warehouse_create(*, code: str, name: str, **fields) -> Warehouse:
    """Create a warehouse (the ERP's stock location; WMS manages its bins)."""
    return _create(Warehouse, WAREHOUSE_FIELDS, {"code": code, "name": name, **fields})


@transaction.atomic
def warehouse_update(*, warehouse: Warehouse, **fields) -> Warehouse:
    """Change a warehouse."""
    return _update(warehouse, WAREHOUSE_FIELDS, fields)


@transaction.atomic
def warehouse_delete(*, warehouse: Warehouse) -> None:
    """Delete a warehouse nothing refers to."""
    _delete(warehouse)


WORK_CENTER_FIELDS = (
    "code",
    "name",
    "machines",
    "hours_per_shift",
    "shifts_per_day",
    "working_days",
    "machine_rate_per_hour",
    "labour_rate_per_hour",
    "is_active",
)


@transaction.atomic
def work_center_create(*, code: str, name: str, **fields) -> WorkCenter:
    """Create a work center with its shift calendar and hourly rates."""
    return _create(WorkCenter, WORK_CENTER_FIELDS, {"code": code, "name": name, **fields})


@transaction.atomic
def work_center_update(*, work_center: WorkCenter, **fields) -> WorkCenter:
    """Change a work center (its capacity follows)."""
    return _update(work_center, WORK_CENTER_FIELDS, fields)


@transaction.atomic
def work_center_delete(*, work_center: WorkCenter) -> None:
    """Delete a work center no routing uses."""
    _delete(work_center)


@transaction.atomic
def partner_address_add(
    *,
    partner: Partner,
    kind: str,
    address: str,
    contact: str = "",
    phone: str = "",
    is_default: bool = False,
) -> PartnerAddress:
    """Add a billing or shipping address; a new default replaces the old default of its kind."""
    if is_default:
        for old in PartnerAddress.objects.select_for_update().filter(
            partner=partner, kind=kind, is_default=True
        ):
            old.is_default = False
            old.save(update_fields=["is_default"])
    return _create(
        PartnerAddress,
        ("partner", "kind", "address", "contact", "phone", "is_default"),
        {
            "partner": partner,
            "kind": kind,
            "address": address,
            "contact": contact,
            "phone": phone,
            "is_default": is_default,
        },
    )


@transaction.atomic
def partner_contact_add(
    *, partner: Partner, name: str, role: str = "", phone: str = "", email: str = ""
) -> PartnerContact:
    """Add a contact person to a partner."""
    return _create(
        PartnerContact,
        ("partner", "name", "role", "phone", "email"),
        {"partner": partner, "name": name, "role": role, "phone": phone, "email": email},
    )


# --- Bills of materials and routings -----------------------------------------------------------

BOM_FIELDS = ("version", "valid_from", "valid_to", "is_active")
BOM_LINE_FIELDS = ("sequence", "component", "quantity_per", "scrap_percent", "is_phantom")
ROUTING_FIELDS = BOM_FIELDS
ROUTING_OPERATION_FIELDS = (
    "sequence",
    "work_center",
    "description",
    "setup_minutes",
    "run_minutes_per_unit",
)


def _build_children(
    model: type, allowed: tuple[str, ...], rows: list[dict], *, label: str, exclude: list[str]
) -> list:
    """Validate child rows (BOM lines, operations) before anything is written.

    Errors come back under one key, each message naming its row ("Line 2: …").
    """
    if not rows:
        raise ValidationError({label: _("Give at least one row.")})
    built, messages, sequences = [], [], set()
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - set(allowed)
        if unknown:
            messages.append(
                _("Row %(n)d: unknown fields %(fields)s.")
                % {"n": number, "fields": ", ".join(sorted(unknown))}
            )
            continue
        values = {name: _cleaned(value) for name, value in row.items()}
        values.setdefault("sequence", number * 10)
        child = model(**values)
        if child.sequence in sequences:
            messages.append(
                _("Row %(n)d: sequence %(seq)s is used twice.")
                % {"n": number, "seq": child.sequence}
            )
        sequences.add(child.sequence)
        try:
            child.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    messages.append(
                        _("Row %(n)d, %(field)s: %(message)s")
                        % {"n": number, "field": field, "message": message}
                    )
        built.append(child)
    if messages:
        raise ValidationError({label: messages})
    return built


def _refuse_overlap(
    model: type[BillOfMaterials | Routing], *, item: Item, header, exclude_pk: int | None
) -> None:
    """Two active versions of an item's BOM (or routing) may not be valid on the same day."""
    if not header.is_active:
        return
    others = model.objects.filter(item=item, is_active=True)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if header.valid_to is not None:
        others = others.filter(valid_from__lte=header.valid_to)
    others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=header.valid_from))
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": _("Version %(version)s of this item is valid in the same period.")
                % {"version": clash.version}
            }
        )


def bom_refuse_cycle(*, item: Item, lines: list[BomLine], bom_pk: int | None) -> None:
    """Refuse a component equal to the parent, or one that uses the parent at any depth."""
    for line in lines:
        if line.component_id == item.pk:
            raise ValidationError(
                {"lines": _("%(item)s cannot be a component of itself.") % {"item": item.code}}
            )
    graph = dict(selectors.bom_graph_load(exclude_bom_id=bom_pk))
    graph[item.pk] = [
        *graph.get(item.pk, ()),
        BomVersion(
            bom_id=bom_pk or 0,
            valid_from=date.min,
            lines=tuple(
                GraphLine(component_id=line.component_id, quantity_per=line.quantity_per)
                for line in lines
            ),
        ),
    ]
    path = find_cycle(graph, start=[item.pk])
    if path:
        codes = dict(Item.objects.filter(pk__in=set(path)).values_list("pk", "code"))
        raise ValidationError(
            {
                "lines": _("This BOM makes a cycle: %(path)s.")
                % {"path": " → ".join(codes.get(pk, str(pk)) for pk in path)}
            }
        )


def _bom_save(*, bom: BillOfMaterials, lines: list[dict] | None) -> BillOfMaterials:
    """Validate the header and (when given) the lines of ``bom``, then write them together."""
    if bom.item_id and bom.item.is_service:
        raise ValidationError({"item": _("A service has no bill of materials.")})
    bom.full_clean()
    built = None
    if lines is not None:
        built = _build_children(BomLine, BOM_LINE_FIELDS, lines, label="lines", exclude=["bom"])
    _refuse_overlap(BillOfMaterials, item=bom.item, header=bom, exclude_pk=bom.pk)
    if bom.is_active:
        check_lines = built if built is not None else list(bom.lines.all())
        bom_refuse_cycle(item=bom.item, lines=check_lines, bom_pk=bom.pk)
    bom.save()
    if built is not None:
        bom.lines.all().delete()
        for line in built:
            line.bom = bom
        bulk_create_with_history(built, BomLine)
    return bom


@transaction.atomic
def bom_create(
    *,
    item: Item,
    version: str,
    valid_from: date,
    valid_to: date | None = None,
    lines: list[dict],
    is_active: bool = True,
) -> BillOfMaterials:
    """Create a BOM version with its lines in one transaction.

    Refused (nothing written): no lines, a bad quantity or scrap, a component equal to the
    parent, a cycle at any depth (the message names the path), a period overlapping another
    active version of the item, a duplicate version.
    """
    bom = BillOfMaterials(
        item=item,
        version=_cleaned(version),
        valid_from=valid_from,
        valid_to=valid_to,
        is_active=is_active,
    )
    return _bom_save(bom=bom, lines=lines)


@transaction.atomic
def bom_update(
    *, bom: BillOfMaterials, lines: list[dict] | None = None, **fields
) -> BillOfMaterials:
    """Change a BOM's header and, when ``lines`` is given, replace its lines; same checks."""
    _refuse_unknown(fields, BOM_FIELDS)
    bom = BillOfMaterials.objects.select_for_update().select_related("item").get(pk=bom.pk)
    for name, value in fields.items():
        setattr(bom, name, _cleaned(value))
    return _bom_save(bom=bom, lines=lines)


@transaction.atomic
def bom_delete(*, bom: BillOfMaterials) -> None:
    """Delete a BOM version with its lines."""
    _delete(bom)


def _routing_save(*, routing: Routing, operations: list[dict] | None) -> Routing:
    """Validate the header and (when given) the operations of ``routing``, then write them."""
    if routing.item_id and routing.item.is_service:
        raise ValidationError({"item": _("A service has no routing.")})
    routing.full_clean()
    built = None
    if operations is not None:
        built = _build_children(
            RoutingOperation,
            ROUTING_OPERATION_FIELDS,
            operations,
            label="operations",
            exclude=["routing"],
        )
    _refuse_overlap(Routing, item=routing.item, header=routing, exclude_pk=routing.pk)
    routing.save()
    if built is not None:
        routing.operations.all().delete()
        for operation in built:
            operation.routing = routing
        bulk_create_with_history(built, RoutingOperation)
    return routing


@transaction.atomic
def routing_create(
    *,
    item: Item,
    version: str,
    valid_from: date,
    valid_to: date | None = None,
    operations: list[dict],
    is_active: bool = True,
) -> Routing:
    """Create a routing version with its operations in one transaction."""
    routing = Routing(
        item=item,
        version=_cleaned(version),
        valid_from=valid_from,
        valid_to=valid_to,
        is_active=is_active,
    )
    return _routing_save(routing=routing, operations=operations)


@transaction.atomic
def routing_update(*, routing: Routing, operations: list[dict] | None = None, **fields) -> Routing:
    """Change a routing's header and, when ``operations`` is given, replace its operations."""
    _refuse_unknown(fields, ROUTING_FIELDS)
    routing = Routing.objects.select_for_update().select_related("item").get(pk=routing.pk)
    for name, value in fields.items():
        setattr(routing, name, _cleaned(value))
    return _routing_save(routing=routing, operations=operations)


@transaction.atomic
def routing_delete(*, routing: Routing) -> None:
    """Delete a routing version with its operations."""
    _delete(routing)
