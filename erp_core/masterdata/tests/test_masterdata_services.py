"""Master data services and selectors against the database: bad input is refused and writes
nothing; conversions, rates, pinyin search, BOM cycles, explosion and where-used."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict
from erp_core.demo import demo_load
from erp_core.masterdata import selectors, services
from erp_core.models import (
    BillOfMaterials,
    BomLine,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    PartnerAddress,
    Routing,
    TaxCode,
    UnitConversion,
    WorkCenter,
)
from erp_core.tests.factories import (
    CurrencyFactory,
    ItemCategoryFactory,
    ItemFactory,
    PartnerFactory,
    UnitOfMeasureFactory,
    WarehouseFactory,
    WorkCenterFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
START = date(2025, 1, 1)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _make(code: str, **fields) -> Item:
    return ItemFactory(
        code=code, item_type=Item.ItemType.SEMI_FINISHED, make_or_buy="make", **fields
    )


def _bom(item: Item, *components: tuple[Item, str], version: str = "1", **kwargs):
    return services.bom_create(
        item=item,
        version=version,
        valid_from=kwargs.pop("valid_from", START),
        lines=[{"component": c, "quantity_per": D(q)} for c, q in components],
        **kwargs,
    )


# --- units ------------------------------------------------------------------------------------


def test_unit_codes_are_unique():
    services.unit_create(code="KG", name="kilogram", category="mass")
    with pytest.raises(ValidationError) as error:
        services.unit_create(code="KG", name="again", category="mass")
    assert "code" in _errors(error)


def test_uom_convert_general_backwards_and_item_specific():
    pcs, box = UnitOfMeasureFactory(code="PCS"), UnitOfMeasureFactory(code="BOX")
    kg = UnitOfMeasureFactory(code="KG", category="mass")
    g = UnitOfMeasureFactory(code="G", category="mass")
    bearing = ItemFactory(unit=pcs)
    services.unit_conversion_create(from_unit=kg, to_unit=g, factor=D(1000))
    services.unit_conversion_create(from_unit=box, to_unit=pcs, factor=D(12), item=bearing)

    assert selectors.uom_convert(quantity=D("2.5"), from_unit=kg, to_unit=g) == D(2500)
    assert selectors.uom_convert(quantity=D(250), from_unit=g, to_unit=kg) == D("0.25")
    assert selectors.uom_convert(quantity=D(3), from_unit=box, to_unit=pcs, item=bearing) == 36
    assert selectors.uom_convert(quantity=D(30), from_unit=pcs, to_unit=box, item=bearing) == D(
        "2.5"
    )
    assert selectors.uom_convert(quantity=D(7), from_unit=pcs, to_unit=pcs) == 7


def test_uom_convert_refuses_an_unknown_conversion():
    pcs, box = UnitOfMeasureFactory(code="PCS"), UnitOfMeasureFactory(code="BOX")
    other = ItemFactory(unit=pcs)
    services.unit_conversion_create(from_unit=box, to_unit=pcs, factor=D(12), item=ItemFactory())
    with pytest.raises(ValidationError) as error:
        selectors.uom_convert(quantity=D(1), from_unit=box, to_unit=pcs, item=other)
    assert error.value.code == "no_unit_conversion"
    with pytest.raises(ValidationError):
        selectors.uom_convert(quantity=D(1), from_unit=box, to_unit=pcs)


@pytest.mark.parametrize("factor", [D(0), D(-2)])
def test_unit_conversion_factor_must_be_positive(factor):
    kg = UnitOfMeasureFactory(code="KG", category="mass")
    g = UnitOfMeasureFactory(code="G", category="mass")
    with pytest.raises(ValidationError) as error:
        services.unit_conversion_create(from_unit=kg, to_unit=g, factor=factor)
    assert "factor" in _errors(error)
    assert not UnitConversion.objects.exists()


def test_general_conversion_across_categories_and_to_itself_are_refused():
    pcs, kg = UnitOfMeasureFactory(code="PCS"), UnitOfMeasureFactory(code="KG", category="mass")
    with pytest.raises(ValidationError) as error:
        services.unit_conversion_create(from_unit=pcs, to_unit=kg, factor=D("7.85"))
    assert "item" in _errors(error)
    with pytest.raises(ValidationError):
        services.unit_conversion_create(from_unit=pcs, to_unit=pcs, factor=D(1))
    # for one item it makes sense: one plate weighs 7.85 kg
    services.unit_conversion_create(from_unit=pcs, to_unit=kg, factor=D("7.85"), item=ItemFactory())
    assert UnitConversion.objects.count() == 1


# --- categories, taxes, currencies --------------------------------------------------------------


def test_item_category_cycles_are_refused():
    root = services.item_category_create(code="RM", name="Raw")
    steel = services.item_category_create(code="ST", name="Steel", parent=root)
    sheet = services.item_category_create(code="SH", name="Sheet", parent=steel)
    with pytest.raises(ValidationError) as error:
        services.item_category_update(category=root, parent=sheet)
    assert "parent" in _errors(error)
    with pytest.raises(ValidationError):
        services.item_category_update(category=root, parent=root)
    root.refresh_from_db()
    assert root.parent is None


@pytest.mark.parametrize("rate", [D("-0.01"), D(1), D(13)])
def test_bad_tax_rates_are_refused(rate):
    with pytest.raises(ValidationError) as error:
        services.tax_code_create(code="BAD", name="Bad", rate=rate)
    assert "rate" in _errors(error)
    assert not TaxCode.objects.exists()


def test_tax_codes_seed_is_idempotent():
    first = services.tax_codes_seed()
    again = services.tax_codes_seed()
    assert [t.pk for t in first] == [t.pk for t in again]
    assert sorted(TaxCode.objects.values_list("rate", flat=True)) == [
        D(0),
        D("0.06"),
        D("0.09"),
        D("0.13"),
    ]


def test_currency_code_is_three_capital_letters():
    assert services.currency_create(code=" usd ", name="Dollar").code == "USD"
    with pytest.raises(ValidationError) as error:
        services.currency_create(code="DOLLAR", name="Dollar")
    assert "code" in _errors(error)


def test_exchange_rate_on_takes_the_latest_on_or_before_the_date():
    usd = CurrencyFactory(code="USD")
    services.exchange_rate_create(currency=usd, date=date(2026, 1, 1), rate=D("7.10"))
    services.exchange_rate_create(currency=usd, date=date(2026, 2, 1), rate=D("7.20"))
    assert selectors.exchange_rate_on(usd, date(2026, 1, 31)) == D("7.10")
    assert selectors.exchange_rate_on(usd, date(2026, 2, 1)) == D("7.20")
    assert selectors.exchange_rate_on(CurrencyFactory(code="CNY"), date(2000, 1, 1)) == 1
    with pytest.raises(ValidationError) as error:
        selectors.exchange_rate_on(usd, date(2025, 12, 31))
    assert error.value.code == "no_exchange_rate"


def test_exchange_rates_are_positive_and_one_a_day():
    usd = CurrencyFactory(code="USD")
    with pytest.raises(ValidationError):
        services.exchange_rate_create(currency=usd, date=START, rate=D(0))
    services.exchange_rate_create(currency=usd, date=START, rate=D(7))
    with pytest.raises(ValidationError):
        services.exchange_rate_create(currency=usd, date=START, rate=D(8))
    with pytest.raises(ValidationError):
        services.exchange_rate_create(currency=CurrencyFactory(), date=START, rate=D(1))
    assert ExchangeRate.objects.count() == 1


# --- items ------------------------------------------------------------------------------------


def test_item_create_computes_pinyin_initials_and_search_finds_them():
    pcs = UnitOfMeasureFactory()
    item = services.item_create(code="RM-001", name="钢板料", item_type="raw", unit=pcs)
    assert item.pinyin_initials == "GBL"
    services.item_create(code="RM-002", name="轴承", item_type="raw", unit=pcs, barcode="690123")
    assert [i.code for i in selectors.item_list(search="gbl")] == ["RM-001"]
    assert [i.code for i in selectors.item_list(search="钢板")] == ["RM-001"]
    assert [i.code for i in selectors.item_list(search="690123")] == ["RM-002"]
    assert [i.code for i in selectors.item_list(search="rm-00")] == ["RM-001", "RM-002"]


def test_item_rename_recomputes_initials_unless_they_were_edited_by_hand():
    pcs = UnitOfMeasureFactory()
    item = services.item_create(code="X1", name="钢板", item_type="raw", unit=pcs)
    item = services.item_update(item=item, name="电机")
    assert item.pinyin_initials == "DJ"
    item = services.item_update(item=item, pinyin_initials="MOTOR")
    item = services.item_update(item=item, name="大电机")
    assert item.pinyin_initials == "MOTOR"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"min_order_qty": D(0)}, "min_order_qty"),
        ({"order_multiple": D("-1")}, "order_multiple"),
        ({"safety_stock": D("-5")}, "safety_stock"),
        ({"standard_cost": D("-0.01")}, "standard_cost"),
        ({"item_type": "service", "tracking": "lot"}, "tracking"),
        ({"item_type": "service", "safety_stock": D(5)}, "safety_stock"),
        ({"item_type": "service", "shelf_life_days": 30}, "shelf_life_days"),
        ({"item_type": "gadget"}, "item_type"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_item_create_bad_input_is_refused_and_writes_nothing(fields, field):
    pcs = UnitOfMeasureFactory()
    args = {"code": "BAD", "name": "Bad", "item_type": "raw", "unit": pcs, **fields}
    with pytest.raises(ValidationError) as error:
        services.item_create(**args)
    assert field in _errors(error)
    assert not Item.objects.exists()


def test_item_codes_and_barcodes_are_unique_but_empty_barcodes_are_not():
    pcs = UnitOfMeasureFactory()
    services.item_create(code="A", name="A", item_type="raw", unit=pcs, barcode="123")
    services.item_create(code="B", name="B", item_type="raw", unit=pcs)
    services.item_create(code="C", name="C", item_type="raw", unit=pcs)
    with pytest.raises(ValidationError) as error:
        services.item_create(code="A", name="again", item_type="raw", unit=pcs)
    assert "code" in _errors(error)
    with pytest.raises(ValidationError):
        services.item_create(code="D", name="D", item_type="raw", unit=pcs, barcode="123")
    assert Item.objects.count() == 3


def test_item_used_in_a_bom_cannot_be_deleted():
    parent, part = _make("P"), ItemFactory(code="C")
    _bom(parent, (part, "1"))
    with pytest.raises(Conflict):
        services.item_delete(item=part)
    assert Item.objects.filter(pk=part.pk).exists()


# --- warehouses, work centers, partners ------------------------------------------------------


def test_warehouse_duplicate_code_is_refused():
    WarehouseFactory(code="WH1")
    with pytest.raises(ValidationError):
        services.warehouse_create(code="WH1", name="Again")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"machines": 0}, "machines"),
        ({"hours_per_shift": D(0)}, "hours_per_shift"),
        ({"shifts_per_day": 4, "hours_per_shift": D(8)}, "shifts_per_day"),
        ({"working_days": "11111"}, "working_days"),
        ({"machine_rate_per_hour": D("-1")}, None),
    ],
)
def test_work_center_bad_input_is_refused(fields, field):
    with pytest.raises(ValidationError) as error:
        services.work_center_create(code="WC", name="WC", **fields)
    if field:
        assert field in _errors(error)
    assert not WorkCenter.objects.exists()


def test_work_center_capacity_follows_machines_shifts_and_calendar():
    center = services.work_center_create(
        code="WC", name="Weld", machines=3, shifts_per_day=2, hours_per_shift=D("7.5")
    )
    assert center.capacity_hours_per_day == D(45)
    assert selectors.work_center_capacity_hours(center, date(2026, 3, 2)) == D(45)  # Monday
    assert selectors.work_center_capacity_hours(center, date(2026, 3, 7)) == 0  # Saturday


def test_partner_gets_the_base_currency_and_refuses_a_negative_credit_limit():
    cny = CurrencyFactory(code="CNY")
    partner = services.partner_create(code="C1", name="Acme", kind="customer")
    assert partner.currency == cny
    with pytest.raises(ValidationError) as error:
        services.partner_create(code="C2", name="X", kind="customer", credit_limit=D(-1))
    assert "credit_limit" in _errors(error)
    assert not Partner.objects.filter(code="C2").exists()


def test_a_new_default_address_replaces_the_old_default_of_its_kind():
    partner = PartnerFactory()
    first = services.partner_address_add(
        partner=partner, kind="shipping", address="Dock 1", is_default=True
    )
    services.partner_address_add(partner=partner, kind="billing", address="HQ", is_default=True)
    second = services.partner_address_add(
        partner=partner, kind="shipping", address="Dock 2", is_default=True
    )
    first.refresh_from_db()
    assert not first.is_default
    defaults = PartnerAddress.objects.filter(partner=partner, is_default=True)
    assert {a.address for a in defaults} == {"HQ", second.address}


# --- BOMs -------------------------------------------------------------------------------------


def test_bom_create_writes_header_and_lines_in_one_go():
    parent, a, b = _make("P"), ItemFactory(code="A"), ItemFactory(code="B")
    bom = services.bom_create(
        item=parent,
        version="1",
        valid_from=START,
        lines=[
            {"component": a, "quantity_per": D(2), "scrap_percent": D(5)},
            {"component": b, "quantity_per": D("0.5")},
        ],
    )
    assert [(ln.sequence, ln.component.code) for ln in bom.lines.all()] == [(10, "A"), (20, "B")]
    assert bom.lines.first().history.count() == 1


def test_bom_component_equal_to_the_parent_is_refused():
    parent = _make("P")
    with pytest.raises(ValidationError) as error:
        _bom(parent, (parent, "1"))
    assert "itself" in str(_errors(error)["lines"])
    assert not BillOfMaterials.objects.exists()


def test_bom_direct_cycle_is_refused_naming_the_path():
    a, b = _make("A"), _make("B")
    _bom(a, (b, "1"))
    with pytest.raises(ValidationError) as error:
        _bom(b, (a, "1"))
    assert "B → A → B" in _errors(error)["lines"][0]
    assert BillOfMaterials.objects.count() == 1
    assert BomLine.objects.count() == 1


def test_bom_indirect_cycle_is_refused_and_nothing_is_written():
    a, b, c = _make("A"), _make("B"), _make("C")
    _bom(a, (b, "1"))
    _bom(b, (c, "1"))
    with pytest.raises(ValidationError) as error:
        _bom(c, (a, "2"), (ItemFactory(code="RAW"), "1"))
    assert "C → A → B → C" in _errors(error)["lines"][0]
    assert BillOfMaterials.objects.count() == 2
    assert BomLine.objects.count() == 2


def test_bom_update_that_would_make_a_cycle_is_refused_and_keeps_the_old_lines():
    a, b, raw = _make("A"), _make("B"), ItemFactory(code="RAW")
    _bom(a, (b, "1"))
    bom_b = _bom(b, (raw, "1"))
    with pytest.raises(ValidationError):
        services.bom_update(bom=bom_b, lines=[{"component": a, "quantity_per": D(1)}])
    assert [ln.component.code for ln in bom_b.lines.all()] == ["RAW"]


@pytest.mark.parametrize(
    "line",
    [
        {"quantity_per": D(0)},
        {"quantity_per": D(-1)},
        {"quantity_per": D(1), "scrap_percent": D(101)},
        {"quantity_per": D(1), "scrap_percent": D(-1)},
        {"quantity_per": D(1), "colour": "red"},
    ],
)
def test_bom_bad_lines_are_refused_and_nothing_is_written(line):
    with pytest.raises(ValidationError) as error:
        services.bom_create(
            item=_make("P"),
            version="1",
            valid_from=START,
            lines=[{"component": ItemFactory(), **line}],
        )
    assert "lines" in _errors(error)
    assert not BillOfMaterials.objects.exists()
    assert not BomLine.objects.exists()


def test_bom_without_lines_duplicate_version_overlap_and_bad_validity_are_refused():
    parent, part = _make("P"), ItemFactory()
    with pytest.raises(ValidationError):
        services.bom_create(item=parent, version="1", valid_from=START, lines=[])
    _bom(parent, (part, "1"), valid_to=date(2025, 12, 31))
    with pytest.raises(ValidationError):  # same version
        _bom(parent, (part, "2"), valid_from=date(2026, 1, 1))
    with pytest.raises(ValidationError) as error:  # overlapping period
        _bom(parent, (part, "2"), version="2", valid_from=date(2025, 6, 1))
    assert "valid_from" in _errors(error)
    with pytest.raises(ValidationError):  # ends before it starts
        _bom(parent, (part, "2"), version="3", valid_from=date(2027, 1, 1), valid_to=START)
    _bom(parent, (part, "2"), version="2", valid_from=date(2026, 1, 1))
    assert BillOfMaterials.objects.count() == 2


def test_a_service_has_no_bom():
    service = ItemFactory(item_type="service")
    with pytest.raises(ValidationError):
        _bom(service, (ItemFactory(), "1"))


def test_bom_explode_and_where_used_selectors_map_ids_to_items():
    fg, frame, steel, bolt = (
        _make("FG"),
        _make("FRAME"),
        ItemFactory(code="STEEL"),
        ItemFactory(code="BOLT"),
    )
    services.bom_create(
        item=frame,
        version="1",
        valid_from=START,
        lines=[
            {"component": steel, "quantity_per": D("12.5"), "scrap_percent": D(4)},
            {"component": bolt, "quantity_per": D(8)},
        ],
    )
    bom = _bom(fg, (frame, "1"), (bolt, "4"))
    explosion = selectors.bom_explode(bom=bom, quantity=D(2), on_date=date(2026, 1, 1))
    assert [(r.level, r.component.code, r.quantity) for r in explosion.lines] == [
        (1, "FRAME", D(2)),
        (2, "STEEL", D(26)),
        (2, "BOLT", D(16)),
        (1, "BOLT", D(8)),
    ]
    assert {r.component.code: r.quantity for r in explosion.requirements} == {
        "STEEL": D(26),
        "BOLT": D(24),
    }
    used = selectors.item_where_used(item=steel)
    assert [(r.level, r.parent.code) for r in used] == [(1, "FRAME"), (2, "FG")]
    with pytest.raises(ValidationError):
        selectors.bom_explode(bom=bom, quantity=D(0), on_date=START)


def test_routing_create_with_operations_and_bad_times_refused():
    item, center = _make("P"), WorkCenterFactory()
    routing = services.routing_create(
        item=item,
        version="1",
        valid_from=START,
        operations=[{"work_center": center, "setup_minutes": D(30), "run_minutes_per_unit": D(5)}],
    )
    assert routing.operations.count() == 1
    with pytest.raises(ValidationError) as error:
        services.routing_create(
            item=_make("Q"),
            version="1",
            valid_from=START,
            operations=[{"work_center": center, "setup_minutes": D(-1)}],
        )
    assert "operations" in _errors(error)
    assert Routing.objects.count() == 1


def test_category_filter_includes_sub_categories():
    root = ItemCategoryFactory(code="RM")
    steel = ItemCategoryFactory(code="ST", parent=root)
    ItemFactory(code="I1", category=steel)
    ItemFactory(code="I2", category=ItemCategoryFactory(code="OTHER"))
    assert [i.code for i in selectors.item_list(category=root)] == ["I1"]
    assert ItemCategory.objects.count() == 3


def test_demo_load_is_idempotent_and_builds_a_two_level_bom():
    first = demo_load()
    assert first["items"] >= 10
    assert first["boms"] == 4
    again = demo_load()
    assert again["items"] == again["boms"] == again["routings"] == 0
    gearbox = BillOfMaterials.objects.get(item__code="FG-GEARBOX")
    explosion = selectors.bom_explode(bom=gearbox, quantity=D(1), on_date=date(2026, 1, 1))
    assert max(line.level for line in explosion.lines) == 2
    codes = {r.component.code for r in explosion.requirements}
    assert {"RM-STEEL", "PC-BEARING", "PC-MOTOR"} <= codes
    assert "KIT-BEARING" not in codes  # a phantom, exploded through
    assert Currency.objects.filter(code__in=["CNY", "USD"]).count() == 2
