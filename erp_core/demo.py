"""Demo data for a try-out: master data, partners, one user per role, opening stock and the
documents of a whole order-to-cash and procure-to-pay loop.

Each app loads its own part in a demo step it registers (``erp_core.registry``), saying which
steps must run first; ``demo_load`` runs the installed apps' steps in that order. This module
holds the root's step (master data, partners and users) and what the steps share. Every part is
created only when missing, so loading twice changes nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from erp_core.masterdata import services
from erp_core.masterdata.services import partner_create
from erp_core.models import (
    BillOfMaterials,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    Routing,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    User,
    Warehouse,
    WorkCenter,
)
from erp_core.registry import demo_steps

DEMO_PASSWORD = "zhongtai-demo"

DEMO_PARTNERS = (
    ("C001", "上海华东机电设备有限公司", Partner.Kind.CUSTOMER, "91310115MA1H7A2B3C"),
    ("C002", "Suzhou Precision Motors Co., Ltd.", Partner.Kind.CUSTOMER, "91320505MA1XY27Q8R"),
    ("S001", "宁波钢材贸易有限公司", Partner.Kind.SUPPLIER, "91330206MA2AB3CD4E"),
    ("S002", "Guangzhou Bearings Supply Co.", Partner.Kind.SUPPLIER, ""),
    ("B001", "杭州联合工业集团", Partner.Kind.BOTH, ""),
)

DEMO_USERS = (
    ("sales", "Sales"),
    ("planner", "Planner"),
    ("shopfloor", "Shop floor"),
    ("warehouse", "Warehouse"),
    ("finance", "Finance"),
)

# A customer's and a supplier's own accounts: each signs in to the partner portal.
DEMO_PARTNER_USERS = (("customer-c001", "C001"), ("supplier-s001", "S001"))

# code, name, category, decimals of a quantity
DEMO_UNITS = (
    ("PCS", "件", UnitOfMeasure.Category.COUNT, 0),
    ("BOX", "箱", UnitOfMeasure.Category.COUNT, 0),
    ("KG", "千克", UnitOfMeasure.Category.MASS, 3),
    ("G", "克", UnitOfMeasure.Category.MASS, 1),
    ("M", "米", UnitOfMeasure.Category.LENGTH, 2),
    ("H", "小时", UnitOfMeasure.Category.TIME, 2),
)

DEMO_CATEGORIES = (
    ("RM", "原材料", None),
    ("RM-STEEL", "钢材", "RM"),
    ("PURCH", "外购件", None),
    ("SEMI", "半成品", None),
    ("FG", "成品", None),
    ("SERV", "服务", None),
    ("PKG", "包装物", None),
)

DEMO_WAREHOUSES = (
    ("WH-RM", "原材料仓", "上海市嘉定区工业路 88 号 A 栋"),
    ("WH-FG", "成品仓", "上海市嘉定区工业路 88 号 C 栋"),
)

DEMO_WORK_CENTERS = (
    # code, name, machines, shifts, hours/shift, machine rate, labour rate
    ("WC-CUT", "激光切割", 2, 2, Decimal(8), Decimal("120.00"), Decimal("45.00")),
    ("WC-WELD", "焊接", 3, 1, Decimal(8), Decimal("60.00"), Decimal("55.00")),
    ("WC-ASSY", "装配线", 1, 2, Decimal(8), Decimal("30.00"), Decimal("50.00")),
)

# code, name, specification, category, type, make/buy, unit, tracking, standard cost, barcode
DEMO_ITEMS = (
    ("RM-STEEL", "钢板", "Q235 δ10mm", "RM-STEEL", "raw", "buy", "KG", "lot", "5.20", ""),
    ("RM-ROUND", "圆钢", "45# Φ60", "RM-STEEL", "raw", "buy", "KG", "lot", "6.10", ""),
    (
        "PC-BEARING",
        "轴承",
        "6204-2RS",
        "PURCH",
        "raw",
        "buy",
        "PCS",
        "none",
        "8.50",
        "6901234567892",
    ),
    ("PC-SEAL", "油封", "TC 25×47×7", "PURCH", "raw", "buy", "PCS", "none", "1.20", ""),
    ("PC-MOTOR", "电机", "Y2-90L-4 1.5kW", "PURCH", "raw", "buy", "PCS", "serial", "680.00", ""),
    ("PC-BOLT", "螺栓", "M10×30 8.8级", "PURCH", "consumable", "buy", "PCS", "none", "0.35", ""),
    ("SF-FRAME", "机架", "R80 焊接件", "SEMI", "semi", "make", "PCS", "none", "95.00", ""),
    ("SF-GEAR", "齿轮", "m2 z40", "SEMI", "semi", "make", "PCS", "none", "42.00", ""),
    ("KIT-BEARING", "轴承组件", "虚拟件", "SEMI", "semi", "make", "PCS", "none", "0", ""),
    ("FG-GEARBOX", "减速机", "R80 i=20", "FG", "finished", "make", "PCS", "serial", "1250.00", ""),
    ("SV-INSTALL", "安装调试服务", "", "SERV", "service", "buy", "H", "none", "0", ""),
    ("PK-CRATE", "木箱", "R80 出口包装", "PKG", "consumable", "buy", "PCS", "none", "38.00", ""),
)

DEMO_START = date(2025, 1, 1)

# parent: [(component, quantity per, scrap %, phantom)]
DEMO_BOMS = {
    "SF-FRAME": [("RM-STEEL", "12.5", "5", False), ("PC-BOLT", "8", "0", False)],
    "SF-GEAR": [("RM-ROUND", "1.2", "10", False)],
    "KIT-BEARING": [("PC-BEARING", "2", "0", False), ("PC-SEAL", "1", "0", False)],
    "FG-GEARBOX": [
        ("SF-FRAME", "1", "0", False),
        ("PC-MOTOR", "1", "0", False),
        ("SF-GEAR", "2", "0", False),
        ("KIT-BEARING", "1", "0", True),
        ("PC-BOLT", "12", "2", False),
    ],
}

# item: [(work center, setup minutes, run minutes per unit, description)]
DEMO_ROUTINGS = {
    "SF-FRAME": [
        ("WC-CUT", "20", "6", "激光下料"),
        ("WC-WELD", "30", "25", "焊接机架"),
    ],
    "FG-GEARBOX": [("WC-ASSY", "15", "40", "总装"), ("WC-ASSY", "0", "10", "试车检验")],
}


def _master_data_load(created: dict[str, int]) -> None:
    """Units, categories, taxes, currencies, warehouses, work centers, items, BOMs, routings."""
    units = {}
    for code, name, category, decimals in DEMO_UNITS:
        units[code] = UnitOfMeasure.objects.filter(code=code).first() or services.unit_create(
            code=code, name=name, category=category, decimals=decimals
        )
    if not UnitConversion.objects.filter(from_unit=units["KG"], to_unit=units["G"]).exists():
        services.unit_conversion_create(
            from_unit=units["KG"], to_unit=units["G"], factor=Decimal(1000)
        )
    categories: dict[str, ItemCategory] = {}
    for code, name, parent in DEMO_CATEGORIES:
        categories[code] = ItemCategory.objects.filter(
            code=code
        ).first() or services.item_category_create(
            code=code, name=name, parent=categories.get(parent)
        )
    before = TaxCode.objects.count()
    services.tax_codes_seed()
    created["tax codes"] = TaxCode.objects.count() - before
    vat13 = TaxCode.objects.get(code="VAT13")
    vat6 = TaxCode.objects.get(code="VAT6")
    if not Currency.objects.filter(code="CNY").exists():
        services.currency_create(code="CNY", name="人民币")
    usd = Currency.objects.filter(code="USD").first() or services.currency_create(
        code="USD", name="US Dollar"
    )
    if not ExchangeRate.objects.filter(currency=usd, date=DEMO_START).exists():
        services.exchange_rate_create(currency=usd, date=DEMO_START, rate=Decimal("7.1884"))
    for code, name, address in DEMO_WAREHOUSES:
        if not Warehouse.objects.filter(code=code).exists():
            services.warehouse_create(code=code, name=name, address=address)
            created["warehouses"] += 1
    for code, name, machines, shifts, hours, machine_rate, labour_rate in DEMO_WORK_CENTERS:
        if not WorkCenter.objects.filter(code=code).exists():
            services.work_center_create(
                code=code,
                name=name,
                machines=machines,
                shifts_per_day=shifts,
                hours_per_shift=hours,
                machine_rate_per_hour=machine_rate,
                labour_rate_per_hour=labour_rate,
            )
            created["work centers"] += 1
    for code, name, spec, category, kind, make, unit, tracking, cost, barcode in DEMO_ITEMS:
        if Item.objects.filter(code=code).exists():
            continue
        services.item_create(
            code=code,
            name=name,
            specification=spec,
            category=categories[category],
            item_type=kind,
            make_or_buy=make,
            unit=units[unit],
            tracking=tracking,
            standard_cost=Decimal(cost),
            list_price=(Decimal(cost) * Decimal("1.6")).quantize(Decimal("0.01")),
            vat=vat6 if kind == "service" else vat13,
            purchase_lead_time_days=7 if make == "buy" else 0,
            production_lead_time_days=3 if make == "make" else 0,
            barcode=barcode,
        )
        created["items"] += 1
    items = {item.code: item for item in Item.objects.filter(code__in=[i[0] for i in DEMO_ITEMS])}
    bearing = items["PC-BEARING"]
    if not UnitConversion.objects.filter(item=bearing).exists():
        services.unit_conversion_create(
            from_unit=units["BOX"], to_unit=units["PCS"], factor=Decimal(12), item=bearing
        )
    # Components first, so that each BOM's structure below it already exists.
    for parent in ("SF-FRAME", "SF-GEAR", "KIT-BEARING", "FG-GEARBOX"):
        if BillOfMaterials.objects.filter(item=items[parent]).exists():
            continue
        services.bom_create(
            item=items[parent],
            version="1",
            valid_from=DEMO_START,
            lines=[
                {
                    "component": items[component],
                    "quantity_per": Decimal(quantity),
                    "scrap_percent": Decimal(scrap),
                    "is_phantom": phantom,
                }
                for component, quantity, scrap, phantom in DEMO_BOMS[parent]
            ],
        )
        created["boms"] += 1
    centers = {center.code: center for center in WorkCenter.objects.all()}
    for code, operations in DEMO_ROUTINGS.items():
        if Routing.objects.filter(item=items[code]).exists():
            continue
        services.routing_create(
            item=items[code],
            version="1",
            valid_from=DEMO_START,
            operations=[
                {
                    "work_center": centers[center],
                    "setup_minutes": Decimal(setup),
                    "run_minutes_per_unit": Decimal(run),
                    "description": description,
                }
                for center, setup, run, description in operations
            ],
        )
        created["routings"] += 1


def masterdata_demo_load() -> dict[str, int]:
    """The root's step: master data, partners with a customer's addresses, a user per role and
    a customer's and a supplier's own users."""
    created = {
        "partners": 0,
        "users": 0,
        "items": 0,
        "warehouses": 0,
        "work centers": 0,
        "boms": 0,
        "routings": 0,
    }
    _master_data_load(created)
    for code, name, kind, tax_id in DEMO_PARTNERS:
        if not Partner.objects.filter(code=code).exists():
            partner_create(code=code, name=name, kind=kind, tax_id=tax_id)
            created["partners"] += 1
    for username, role in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD)
        user.groups.add(Group.objects.get(name=role))
        created["users"] += 1
    customer = Partner.objects.get(code="C001")
    if not customer.addresses.exists():
        services.partner_address_add(
            partner=customer,
            kind="billing",
            address="上海市浦东新区张江路 100 号",
            contact="王芳",
            phone="021-5080 1234",
            is_default=True,
        )
        services.partner_address_add(
            partner=customer,
            kind="shipping",
            address="上海市浦东新区川沙路 2000 号 3 号门",
            contact="李强",
            phone="138 0000 1234",
            is_default=True,
        )
        services.partner_contact_add(
            partner=customer, name="王芳", role="采购经理", phone="021-5080 1234"
        )
    for username, code in DEMO_PARTNER_USERS:
        if not User.objects.filter(username=username).exists():
            partner = Partner.objects.get(code=code)
            User.objects.create_user(username=username, password=DEMO_PASSWORD, partner=partner)
            created["users"] += 1
    return created


# --- What the document steps share ----------------------------------------------------------

#: Every demo document's memo starts with it; a section whose documents exist is not loaded again.
DEMO_TAG = "[演示]"


@dataclass(frozen=True)
class DemoContext:
    """What the document steps share: dates, demo users and the master data by code."""

    today: date
    day: date  # the orders' date: a few days back, within the current (open) month
    users: dict[str, User]
    items: dict[str, Item]
    warehouses: dict[str, Warehouse]
    partners: dict[str, Partner]


def demo_memo(text: str) -> str:
    """A demo document's memo: tagged, so that its step knows it was loaded."""
    return f"{DEMO_TAG} {text}"


def demo_context() -> DemoContext:
    """Documents are dated in the current month (its fiscal period is open), a few days back,
    and stock moves today, after the opening stock."""
    today = timezone.localdate()
    return DemoContext(
        today=today,
        day=max(today.replace(day=1), today - timedelta(days=3)),
        users={user.username: user for user in User.objects.filter(username__in=dict(DEMO_USERS))},
        items={
            item.code: item for item in Item.objects.filter(code__in=[r[0] for r in DEMO_ITEMS])
        },
        warehouses={w.code: w for w in Warehouse.objects.filter(code__in=["WH-RM", "WH-FG"])},
        partners={
            p.code: p for p in Partner.objects.filter(code__in=[r[0] for r in DEMO_PARTNERS])
        },
    )


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Run every installed app's demo step, in order: what each created, summed per kind.

    Running it again changes nothing (every step loads only what is missing).
    """
    created: dict[str, int] = {}
    for step in demo_steps():
        for key, count in step.load().items():
            created[key] = created.get(key, 0) + count
    return created
