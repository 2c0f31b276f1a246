"""Demo data for a try-out: master data, partners, one user per role, opening stock and the
documents of a whole order-to-cash and procure-to-pay loop. Each module's issue extends it;
every part is created only when missing, so loading twice changes nothing."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from erp_core.billing.models import Payment
from erp_core.billing.services import (
    customer_invoice_create_from_deliveries,
    invoice_approve,
    payment_approve,
    payment_create,
    supplier_bill_create_from_receipts,
)
from erp_core.ledger.selectors import company_settings
from erp_core.ledger.services import company_settings_update, ledger_demo_load
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
from erp_core.production.models import ProductionOrder
from erp_core.production.services import (
    production_order_book_time,
    production_order_close,
    production_order_complete,
    production_order_consume,
    production_order_create,
    production_order_release,
    production_order_report_output,
)
from erp_core.purchasing.models import PurchaseOrder
from erp_core.purchasing.services import (
    purchase_order_approve,
    purchase_order_create,
    purchase_receipt_approve,
    purchase_receipt_create,
    purchase_requisition_create,
)
from erp_core.sales.models import PriceList, SalesOrder
from erp_core.sales.services import (
    delivery_approve,
    delivery_create,
    price_list_create,
    sales_order_approve,
    sales_order_create,
)
from erp_core.stock.models import StockMove
from erp_core.stock.services import Source, stock_issue, stock_receipt

DEMO_PASSWORD = "zhongtai-demo"

# The seller (销售方) on the demo's VAT invoices.
DEMO_COMPANY = {
    "name": "上海众泰传动机械有限公司",
    "tax_id": "91310114MA1GT0A001",
    "address": "上海市嘉定区工业路 88 号",
    "phone": "021-5999 8800",
    "bank_name": "招商银行上海嘉定支行",
    "bank_account": "1219 0688 0010 001",
}

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


DEMO_UNITS = (
    ("PCS", "件", UnitOfMeasure.Category.COUNT),
    ("BOX", "箱", UnitOfMeasure.Category.COUNT),
    ("KG", "千克", UnitOfMeasure.Category.MASS),
    ("G", "克", UnitOfMeasure.Category.MASS),
    ("M", "米", UnitOfMeasure.Category.LENGTH),
    ("H", "小时", UnitOfMeasure.Category.TIME),
)

DEMO_CATEGORIES = (
    ("RM", "原材料", None),
    ("RM-STEEL", "钢材", "RM"),
    ("PURCH", "外购件", None),
    ("SEMI", "半成品", None),
    ("FG", "成品", None),
    ("SERV", "服务", None),
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
    for code, name, category in DEMO_UNITS:
        units[code] = UnitOfMeasure.objects.filter(code=code).first() or services.unit_create(
            code=code, name=name, category=category
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


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create what is missing of the demo data; running it again changes nothing."""
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
    if not User.objects.filter(username="customer-c001").exists():
        User.objects.create_user(username="customer-c001", password=DEMO_PASSWORD, partner=customer)
        created["users"] += 1
    created.update({f"ledger {key}": value for key, value in ledger_demo_load().items()})
    if not company_settings().tax_id:
        company_settings_update(**DEMO_COMPANY)
    created["stock moves"] = _stock_load()
    _documents_load(created)
    return created


def _stock_load() -> int:
    """Opening stock of the bought items in the raw-material warehouse, and one issue of steel.

    Booked through the stock services, so each move has its valuation and journal entry.
    """
    warehouse = Warehouse.objects.get(code="WH-RM")
    booked = 0
    bought = Item.objects.filter(
        code__in=[row[0] for row in DEMO_ITEMS if row[5] == "buy" and row[4] != "service"]
    ).order_by("code")
    for item in bought:
        if StockMove.objects.filter(item=item).exists():
            continue
        stock_receipt(
            item=item,
            warehouse=warehouse,
            quantity=Decimal(500),
            unit_cost=item.standard_cost or Decimal(1),
            source=Source(type="demo", id="opening"),
        )
        booked += 1
        if item.code == "RM-STEEL":
            stock_receipt(
                item=item,
                warehouse=warehouse,
                quantity=Decimal(300),
                unit_cost=item.standard_cost * Decimal("1.08"),
                source=Source(type="demo", id="purchase"),
            )
            stock_issue(
                item=item,
                warehouse=warehouse,
                quantity=Decimal(120),
                reason=StockMove.Reason.PRODUCTION_CONSUMPTION,
                source=Source(type="demo", id="consumption"),
            )
            booked += 2
    return booked


# --- Documents: procure-to-pay, production, order-to-cash ---------------------------------------

#: Every demo document's memo starts with it; a section whose documents exist is not loaded again.
DEMO_TAG = "[演示]"
PRICE_LIST_CODE = "PL-STD"
# FG-GEARBOX and SF-FRAME: (item, minimum quantity, unit price excl. VAT)
DEMO_PRICES = (
    ("FG-GEARBOX", "0", "2380.00"),
    ("FG-GEARBOX", "10", "2280.00"),
    ("SF-FRAME", "0", "168.00"),
)


@dataclass(frozen=True)
class _Context:
    """What the document sections share: dates, demo users and the master data by code."""

    today: date
    day: date  # the orders' date: a few days back, within the current (open) month
    users: dict[str, User]
    items: dict[str, Item]
    warehouses: dict[str, Warehouse]
    partners: dict[str, Partner]


def _memo(text: str) -> str:
    return f"{DEMO_TAG} {text}"


def _documents_load(created: dict[str, int]) -> None:
    """Run the business through the real services, so every balance has documents behind it.

    Purchasing: a requisition (saved), an order to S001 placed and partly received, billed and
    partly paid, a second order placed and not received. Production: SF-FRAME made, costed and
    closed; FG-GEARBOX released. Sales: a default price list, opening stock of FG-GEARBOX, an
    order to C001 confirmed, partly shipped, invoiced and partly paid with some cash left
    unapplied, and a second order saved. Documents are dated in the current month (its fiscal
    period is open) and stock moves today, after the opening stock.
    """
    for key in (
        "purchase requisitions",
        "purchase orders",
        "purchase receipts",
        "supplier bills",
        "production orders",
        "price lists",
        "sales orders",
        "deliveries",
        "customer invoices",
        "payments",
    ):
        created.setdefault(key, 0)
    today = timezone.localdate()
    context = _Context(
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
    _purchasing_load(context, created)
    _production_load(context, created)
    _sales_load(context, created)


def _purchasing_load(context: _Context, created: dict[str, int]) -> None:
    """Requisition (saved); PO to S001 placed, part received, billed, part paid; a second PO."""
    if PurchaseOrder.objects.filter(memo__startswith=DEMO_TAG).exists():
        return
    items, buyer = context.items, context.users.get("planner")
    warehouse = context.warehouses["WH-RM"]
    supplier = context.partners["S001"]
    purchase_requisition_create(
        date=context.day,
        memo=_memo("下月圆钢需求"),
        lines=[
            {
                "item": items["RM-ROUND"],
                "quantity": Decimal(400),
                "needed_by": context.today + timedelta(days=14),
                "suggested_supplier": supplier,
            }
        ],
        actor=buyer,
    )
    created["purchase requisitions"] += 1
    order = purchase_order_create(
        supplier=supplier,
        date=context.day,
        warehouse=warehouse,
        memo=_memo("钢板和轴承采购"),
        lines=[
            {"item": items["RM-STEEL"], "quantity": Decimal(1000), "unit_price": Decimal("5.50")},
            {"item": items["PC-BEARING"], "quantity": Decimal(200), "unit_price": Decimal("8.80")},
        ],
        actor=buyer,
    )
    order = purchase_order_approve(order=order, actor=buyer)
    steel, bearing = order.lines.order_by("line_no")
    receiver = context.users.get("warehouse")
    receipt = purchase_receipt_create(
        purchase_order=order,
        date=context.today,
        delivery_note="NB-DN-0815",
        memo=_memo("第一批到货"),
        lines=[
            {"order_line": steel, "quantity": Decimal(600)},
            {"order_line": bearing, "quantity": Decimal(100)},
        ],
        actor=receiver,
    )
    receipt = purchase_receipt_approve(receipt=receipt, actor=receiver)
    finance = context.users.get("finance")
    bill = supplier_bill_create_from_receipts(
        partner=supplier,
        date=context.today,
        supplier_invoice_number=f"NB-{context.today.year}-0815",
        receipts=[receipt],
        memo=_memo("宁波钢材第一批到货的发票"),
        actor=finance,
    )
    bill = invoice_approve(invoice=bill, actor=finance)
    paid = Decimal("3000.00")
    payment = payment_create(
        direction=Payment.Direction.MADE,
        partner=supplier,
        date=context.today,
        amount=paid,
        reference="CMB-20815",
        memo=_memo("预付一部分货款"),
        allocations=[{"invoice": bill, "amount": paid}],
        actor=finance,
    )
    payment_approve(payment=payment, actor=finance)
    second = purchase_order_create(
        supplier=context.partners["S002"],
        date=context.day,
        warehouse=warehouse,
        expected_date=context.today + timedelta(days=10),
        memo=_memo("轴承和油封备货"),
        lines=[
            {"item": items["PC-BEARING"], "quantity": Decimal(240), "unit_price": Decimal("8.40")},
            {"item": items["PC-SEAL"], "quantity": Decimal(120), "unit_price": Decimal("1.15")},
        ],
        actor=buyer,
    )
    purchase_order_approve(order=second, actor=buyer)
    created["purchase orders"] += 2
    created["purchase receipts"] += 1
    created["supplier bills"] += 1
    created["payments"] += 1


def _production_load(context: _Context, created: dict[str, int]) -> None:
    """Ten SF-FRAME made from stock in WH-RM, timed, reported and closed; a FG-GEARBOX released."""
    if ProductionOrder.objects.filter(memo__startswith=DEMO_TAG).exists():
        return
    planner, shopfloor = context.users.get("planner"), context.users.get("shopfloor")
    raw = context.warehouses["WH-RM"]
    order = production_order_create(
        item=context.items["SF-FRAME"],
        quantity=Decimal(10),
        date=context.day,
        start_date=context.day,
        due_date=context.today + timedelta(days=7),
        warehouse=raw,
        component_warehouse=raw,
        memo=_memo("机架生产"),
        actor=planner,
    )
    order = production_order_release(order=order, actor=planner)
    for material in order.materials.select_related("component").order_by("line_no"):
        production_order_consume(
            order=order,
            item=material.component,
            quantity=material.quantity_required,
            actor=shopfloor,
        )
    for operation in order.operations.order_by("sequence"):
        hours = operation.planned_hours.quantize(Decimal("0.01"))
        production_order_book_time(
            order=order,
            operation=operation,
            machine_hours=hours,
            labour_hours=hours + Decimal("0.50"),
            actor=shopfloor,
        )
    order = production_order_report_output(order=order, quantity=Decimal(10), actor=shopfloor)
    if order.status != ProductionOrder.Status.DONE:
        order = production_order_complete(order=order, actor=planner)
    production_order_close(order=order, actor=context.users.get("finance"))
    gearbox = production_order_create(
        item=context.items["FG-GEARBOX"],
        quantity=Decimal(5),
        date=context.day,
        due_date=context.today + timedelta(days=14),
        warehouse=context.warehouses["WH-FG"],
        component_warehouse=raw,
        memo=_memo("减速机生产"),
        actor=planner,
    )
    production_order_release(order=gearbox, actor=planner)
    created["production orders"] += 2


def _sales_load(context: _Context, created: dict[str, int]) -> None:
    """Price list, FG-GEARBOX stock; SO to C001 confirmed, part shipped, invoiced, part paid."""
    items, finished = context.items, context.warehouses["WH-FG"]
    gearbox = items["FG-GEARBOX"]
    if not PriceList.objects.filter(code=PRICE_LIST_CODE).exists():
        price_list_create(
            code=PRICE_LIST_CODE,
            name="标准价目表",
            valid_from=DEMO_START,
            is_default=True,
            items=[
                {
                    "item": items[code],
                    "min_quantity": Decimal(minimum),
                    "unit_price": Decimal(price),
                }
                for code, minimum, price in DEMO_PRICES
            ],
        )
        created["price lists"] += 1
    if not StockMove.objects.filter(item=gearbox, source_type="demo").exists():
        stock_receipt(
            item=gearbox,
            warehouse=finished,
            quantity=Decimal(20),
            unit_cost=gearbox.standard_cost,
            source=Source(type="demo", id="opening"),
        )
        created["stock moves"] += 1
    if SalesOrder.objects.filter(memo__startswith=DEMO_TAG).exists():
        return
    price_list = PriceList.objects.get(code=PRICE_LIST_CODE)
    customer, sales = context.partners["C001"], context.users.get("sales")
    order = sales_order_create(
        customer=customer,
        warehouse=finished,
        date=context.day,
        price_list=price_list,
        customer_reference="HD-PO-0815",
        requested_date=context.today + timedelta(days=10),
        memo=_memo("华东机电减速机订单"),
        lines=[{"item": gearbox, "quantity": Decimal(5)}],
        actor=sales,
    )
    order = sales_order_approve(order=order, actor=sales)
    warehouse_user = context.users.get("warehouse")
    delivery = delivery_create(
        sales_order=order,
        date=context.today,
        shipment_reference="SF-1234567890",
        memo=_memo("第一批发货"),
        lines=[{"sales_order_line": order.lines.get(line_no=1), "quantity": Decimal(3)}],
        actor=warehouse_user,
    )
    delivery = delivery_approve(delivery=delivery, actor=warehouse_user)
    finance = context.users.get("finance")
    invoice = customer_invoice_create_from_deliveries(
        partner=customer,
        date=context.today,
        deliveries=[delivery],
        memo=_memo("第一批发货的发票"),
        actor=finance,
    )
    invoice = invoice_approve(invoice=invoice, actor=finance)
    allocated = Decimal("5000.00")
    payment = payment_create(
        direction=Payment.Direction.RECEIVED,
        partner=customer,
        date=context.today,
        amount=Decimal("6000.00"),
        reference="ICBC-30815",
        memo=_memo("华东机电回款，余款未核销"),
        allocations=[{"invoice": invoice, "amount": allocated}],
        actor=finance,
    )
    payment_approve(payment=payment, actor=finance)
    sales_order_create(
        customer=context.partners["C002"],
        warehouse=finished,
        date=context.today,
        price_list=price_list,
        memo=_memo("苏州精密询价，待确认"),
        lines=[
            {"item": gearbox, "quantity": Decimal(2)},
            {"item": items["SF-FRAME"], "quantity": Decimal(4)},
        ],
        actor=sales,
    )
    created["sales orders"] += 2
    created["deliveries"] += 1
    created["customer invoices"] += 1
    created["payments"] += 1
