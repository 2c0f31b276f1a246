"""The demo's documents end to end: order → delivery → invoice → payment, purchase order →
receipt → bill → payment, a production order closed; loaded twice, and the books reconcile."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from erp_core.billing.models import Invoice, Payment
from erp_core.demo import DEMO_TAG, demo_load
from erp_core.ledger.models import JournalEntry, JournalLine
from erp_core.ledger.reconcile import run_checks
from erp_core.models import User
from erp_core.production.models import ProductionOrder
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseRequisition
from erp_core.sales.models import Delivery, PriceList, SalesOrder
from erp_core.stock.models import StockBalance, StockMove

pytestmark = pytest.mark.django_db

D = Decimal
COUNTED = (
    PurchaseRequisition,
    PurchaseOrder,
    PurchaseReceipt,
    Invoice,
    Payment,
    ProductionOrder,
    PriceList,
    SalesOrder,
    Delivery,
    StockMove,
    JournalEntry,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _partner_balance(account: str, partner: str) -> Decimal:
    totals = JournalLine.objects.filter(
        entry__status=JournalEntry.Status.POSTED,
        account__code=account,
        partner__code=partner,
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return D(str(totals["debit"] or 0)) - D(str(totals["credit"] or 0))


@pytest.fixture
def demo() -> dict[str, int]:
    """The demo loaded twice: the first run's counts (the second must create nothing)."""
    first = demo_load()
    counts = _counts()
    again = demo_load()
    assert not any(again.values()), {key: n for key, n in again.items() if n}
    assert _counts() == counts
    return first


def test_demo_documents_are_created_once(demo):
    assert demo["purchase requisitions"] == 1
    assert demo["purchase orders"] == 2
    assert demo["purchase receipts"] == 1
    assert demo["supplier bills"] == 1
    assert demo["production orders"] == 2
    assert demo["price lists"] == 1
    assert demo["sales orders"] == 2
    assert demo["deliveries"] == 1
    assert demo["customer invoices"] == 1
    assert demo["payments"] == 2
    assert demo["ledger entries"] == 1  # only the capital: no hand-made receivable or payable
    # The ledger's own demo entry is the capital; the demo's opening stock moves, whose source
    # document is "demo", post their entries on the stock journal under that document.
    assert JournalEntry.objects.filter(source_type="demo").exclude(journal__code="STK").count() == 1


def test_demo_books_reconcile(demo):
    assert run_checks() == []
    out = StringIO()
    call_command("reconcile", stdout=out)  # a breach raises CommandError
    assert "checks passed" in out.getvalue()


def test_demo_procure_to_pay(demo):
    requisition = PurchaseRequisition.objects.get(memo__startswith=DEMO_TAG)
    assert requisition.status == PurchaseRequisition.Status.DRAFT
    placed, open_order = PurchaseOrder.objects.filter(memo__startswith=DEMO_TAG).order_by("pk")
    assert placed.supplier.code == "S001" and placed.status == PurchaseOrder.Status.APPROVED
    received = {line.item.code: line.received_quantity for line in placed.lines.all()}
    assert received == {"RM-STEEL": D(600), "PC-BEARING": D(100)}
    assert open_order.status == PurchaseOrder.Status.APPROVED
    assert not open_order.lines.filter(received_quantity__gt=0).exists()
    receipt = PurchaseReceipt.objects.get(purchase_order=placed)
    assert receipt.status == PurchaseReceipt.Status.APPROVED
    assert all(line.stock_move_id for line in receipt.lines.all())
    bill = Invoice.objects.get(kind=Invoice.Kind.SUPPLIER_BILL)
    assert bill.status == Invoice.Status.APPROVED
    assert bill.supplier_invoice_number.startswith("NB-")
    assert bill.match_status == Invoice.MatchStatus.MATCHED
    assert bill.gross_amount == D("4723.40")  # (600 × 5.50 + 100 × 8.80) × 1.13
    assert bill.amount_allocated == D("3000.00") and bill.open_amount == D("1723.40")
    paid = Payment.objects.get(direction=Payment.Direction.MADE)
    assert paid.status == Payment.Status.APPROVED
    assert paid.amount == paid.amount_allocated == D("3000.00")
    assert _partner_balance("2202", "S001") == -bill.open_amount  # a credit balance


def test_demo_production_order_is_costed_and_closed(demo):
    frame = ProductionOrder.objects.get(item__code="SF-FRAME")
    assert frame.status == ProductionOrder.Status.CLOSED
    assert frame.quantity_produced == D(10)
    assert frame.closing_entry_id is not None
    assert {row.component.code for row in frame.materials.all()} == {"RM-STEEL", "PC-BOLT"}
    assert all(row.quantity_consumed == row.quantity_required for row in frame.materials.all())
    assert frame.machine_cost > 0 and frame.labour_cost > 0
    assert frame.actual_cost == frame.material_cost + frame.machine_cost + frame.labour_cost
    assert frame.variance == frame.actual_cost - frame.output_value
    gearbox = ProductionOrder.objects.get(item__code="FG-GEARBOX")
    assert gearbox.status == ProductionOrder.Status.RELEASED


def test_demo_order_to_cash(demo):
    confirmed = SalesOrder.objects.get(customer__code="C001", memo__startswith=DEMO_TAG)
    assert confirmed.status == SalesOrder.Status.APPROVED
    line = confirmed.lines.get()
    assert (line.item.code, line.quantity, line.delivered_quantity) == ("FG-GEARBOX", 5, 3)
    assert line.unit_price == D("2380.00")  # from the default price list
    assert SalesOrder.objects.get(customer__code="C002").status == SalesOrder.Status.DRAFT
    delivery = Delivery.objects.get(sales_order=confirmed)
    assert delivery.status == Delivery.Status.APPROVED
    assert all(line.stock_move_id for line in delivery.lines.all())
    stock = StockBalance.objects.get(item__code="FG-GEARBOX", warehouse__code="WH-FG")
    assert stock.quantity == D(17)  # 20 opening − 3 shipped
    invoice = Invoice.objects.get(kind=Invoice.Kind.CUSTOMER_INVOICE)
    assert invoice.status == Invoice.Status.APPROVED
    assert invoice.gross_amount == D("8068.20")  # 3 × 2,380.00 × 1.13
    assert invoice.amount_allocated == D("5000.00") and invoice.open_amount == D("3068.20")
    received = Payment.objects.get(direction=Payment.Direction.RECEIVED)
    assert received.status == Payment.Status.APPROVED
    assert (received.amount, received.amount_allocated) == (D("6000.00"), D("5000.00"))
    # The receivable is the open invoice less the 1,000.00 of cash not yet applied.
    assert _partner_balance("1122", "C001") == invoice.open_amount - D("1000.00")


def test_the_home_page_shows_what_waits_in_each_module(client, demo):
    client.force_login(User.objects.get(username="finance"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("erp_core:home"))
    assert page.status_code == 200
    work = page.context["work"]
    erp = {str(task.label): task for task in work.get("erp", [])}
    # The demo leaves a sales order saved and a production order released.
    assert erp["Sales orders to confirm"].count == 1
    assert erp["Sales orders to confirm"].url == reverse("sales:order-list") + "?status=draft"
    assert 'data-testid="work-erp"' in page.text
    assert client.get(erp["Sales orders to confirm"].url).status_code == 200
    assert len(queries) < 40

    # Sales staff see only what they may open: no finance, no production.
    client.force_login(User.objects.get(username="sales"))
    work = client.get(reverse("erp_core:home")).context["work"]
    assert "finance" not in work
    assert not any("Production" in str(task.label) for task in work.get("erp", []))
