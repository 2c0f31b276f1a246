"""Price lookup (lists, validity, quantity breaks) and the credit check on confirmation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict
from common.testing import staff_user
from erp_core.ledger.models import Journal
from erp_core.ledger.services import journal_entry_create_draft, journal_entry_post
from erp_core.sales import selectors, services
from erp_core.sales.models import PriceList, SalesOrder
from erp_core.sales.services import CreditOverrideForbidden
from erp_core.sales.tests.helpers import deliver, make_order, put_stock, snapshot, today

pytestmark = pytest.mark.django_db


def price_list(item, *, code="PL1", default=False, rows=(("0", "90"), ("10", "80"), ("100", "70"))):
    return services.price_list_create(
        code=code,
        name=code,
        is_default=default,
        items=[
            {"item": item, "min_quantity": Decimal(minimum), "unit_price": Decimal(price)}
            for minimum, price in rows
        ],
    )


# --- Prices ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "price"),
    [("1", "90"), ("9.5", "90"), ("10", "80"), ("99", "80"), ("100", "70"), ("5000", "70")],
)
def test_the_largest_quantity_break_not_above_the_quantity_wins(item, quantity, price):
    prices = price_list(item)
    found = selectors.price_for(
        item=item, quantity=Decimal(quantity), date=today(), price_list=prices
    )
    assert found == Decimal(price)


def test_without_a_row_the_list_price_applies(item, other_item):
    prices = price_list(item)
    assert selectors.price_for(
        item=other_item, quantity=Decimal("1"), date=today(), price_list=prices
    ) == Decimal("50.00")


def test_below_the_smallest_break_the_list_price_applies(item):
    prices = price_list(item, rows=(("10", "80"),))
    found = selectors.price_for(item=item, quantity=Decimal("5"), date=today(), price_list=prices)
    assert found == Decimal("100.00")


def test_the_default_list_applies_only_while_valid_and_active(item):
    prices = price_list(item, default=True)
    assert selectors.price_for(item=item, quantity=Decimal("10"), date=today()) == Decimal("80")
    services.price_list_update(price_list=prices, valid_to=today() - timedelta(days=1),
                               valid_from=today() - timedelta(days=30))  # fmt: skip
    assert selectors.price_for(item=item, quantity=Decimal("10"), date=today()) == Decimal("100")
    services.price_list_update(price_list=prices, valid_to=None, is_active=False)
    assert selectors.price_for(item=item, quantity=Decimal("10"), date=today()) == Decimal("100")


def test_order_lines_take_the_orders_price_list(customer, warehouse, item):
    prices = price_list(item)
    order = make_order(customer, warehouse, [(item, 12), (item, 2)], price_list=prices)
    assert list(order.lines.order_by("line_no").values_list("unit_price", flat=True)) == [
        Decimal("80"),
        Decimal("90"),
    ]


def test_a_new_default_list_takes_over(item):
    first = price_list(item, code="A", default=True)
    second = price_list(item, code="B", default=True)
    first.refresh_from_db()
    assert not first.is_default
    assert PriceList.objects.get(is_default=True) == second


def test_price_list_rows_are_checked(item):
    with pytest.raises(ValidationError):
        price_list(item, rows=(("0", "-1"),))
    with pytest.raises(ValidationError):
        price_list(item, rows=(("1", "10"), ("1.0", "9")))
    with pytest.raises(ValidationError):
        services.price_list_create(
            code="X", name="X", valid_from=today(), valid_to=today() - timedelta(days=1)
        )
    assert PriceList.objects.count() == 0


def test_an_expired_price_list_cannot_price_an_order(customer, warehouse, item):
    prices = price_list(item)
    services.price_list_update(price_list=prices, is_active=False)
    prices.refresh_from_db()
    with pytest.raises(ValidationError):
        make_order(customer, warehouse, [(item, 1)], price_list=prices)
    assert SalesOrder.objects.count() == 0


# --- Credit limit ------------------------------------------------------------------------------


def receivable(customer, amount: str) -> None:
    """Post an amount the customer owes on 1122 (as an invoice would)."""
    entry = journal_entry_create_draft(
        journal=Journal.objects.get(code="GEN"),
        date=today(),
        memo="opening receivable",
        lines=[
            {
                "account": "1122",
                "debit": Decimal(amount),
                "credit": Decimal("0"),
                "partner": customer,
            },
            {"account": "6001", "debit": Decimal("0"), "credit": Decimal(amount)},
        ],
        actor=None,
    )
    journal_entry_post(entry=entry, actor=None)


def test_a_limit_of_zero_means_no_limit(customer, warehouse, item):
    customer.credit_limit = Decimal("0")
    customer.save()
    order = make_order(customer, warehouse, [(item, 1000)], approve=True)
    assert order.status == SalesOrder.Status.APPROVED


def test_confirmation_over_the_limit_is_blocked_with_the_figures(books, customer, warehouse, item):
    customer.credit_limit = Decimal("1000.00")
    customer.save()
    receivable(customer, "300.00")
    make_order(customer, warehouse, [(item, 2)], approve=True)  # open: 226.00
    order = make_order(customer, warehouse, [(item, 4)])  # 452.00 → exposure 978.00
    position = selectors.credit_position(order=order)
    assert (position.receivable, position.open_orders, position.this_order) == (
        Decimal("300.00"),
        Decimal("226.00"),
        Decimal("452.00"),
    )
    assert not position.exceeded
    services.sales_order_update(order=order, lines=[{"item": item, "quantity": Decimal("5")}])
    before = snapshot(order)
    with pytest.raises(Conflict) as caught:
        services.sales_order_approve(order=order, actor=staff_user("Sales"))
    assert caught.value.code == "credit_limit_exceeded"
    message = caught.value.message
    for figure in ("1000.00", "300.00", "226.00", "565.00", "1091.00", "91.00"):
        assert figure in message
    assert snapshot(order) == before


def test_shipped_but_uninvoiced_goods_count_against_the_limit(books, customer, warehouse, item):
    put_stock(item, warehouse)
    customer.credit_limit = Decimal("500.00")
    customer.save()
    first = make_order(customer, warehouse, [(item, 4)], approve=True)  # 452.00
    deliver(first, {first.lines.get(): 2})
    services.sales_order_close(order=first, actor=None)
    order = make_order(customer, warehouse, [(item, 1)])
    position = selectors.credit_position(order=order)
    assert position.open_orders == Decimal("0.00")
    assert position.uninvoiced_deliveries == Decimal("226.00")
    assert position.exposure == Decimal("339.00")
    services.sales_order_approve(order=order, actor=None)


def test_finance_may_override_the_limit_with_a_reason(books, customer, warehouse, item):
    customer.credit_limit = Decimal("100.00")
    customer.save()
    order = make_order(customer, warehouse, [(item, 1)])
    finance = staff_user("Finance")
    with pytest.raises(ValidationError):
        services.sales_order_approve(order=order, actor=finance, override_credit=True)
    order = services.sales_order_approve(
        order=order, actor=finance, override_credit=True, override_reason="prepaid by wire"
    )
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.APPROVED
    assert order.credit_override_by == finance
    assert order.credit_override_reason == "prepaid by wire"


def test_a_sales_user_may_not_override_the_limit(books, customer, warehouse, item):
    customer.credit_limit = Decimal("100.00")
    customer.save()
    order = make_order(customer, warehouse, [(item, 1)])
    before = snapshot(order)
    with pytest.raises(CreditOverrideForbidden) as caught:
        services.sales_order_approve(
            order=order, actor=staff_user("Sales"), override_credit=True, override_reason="trust"
        )
    assert caught.value.status_code == 403
    assert snapshot(order) == before


def test_an_override_not_needed_is_not_recorded(books, customer, warehouse, item):
    customer.credit_limit = Decimal("10000.00")
    customer.save()
    order = make_order(customer, warehouse, [(item, 1)])
    services.sales_order_approve(
        order=order, actor=staff_user("Finance"), override_credit=True, override_reason="x"
    )
    order.refresh_from_db()
    assert order.credit_override_by is None
    assert order.credit_override_reason == ""


def test_unconfirming_forgets_the_override(books, customer, warehouse, item):
    customer.credit_limit = Decimal("100.00")
    customer.save()
    order = make_order(customer, warehouse, [(item, 1)])
    services.sales_order_approve(
        order=order, actor=staff_user("Finance"), override_credit=True, override_reason="ok"
    )
    services.sales_order_unapprove(order=order, actor=None)
    order.refresh_from_db()
    assert order.credit_override_by is None
    with pytest.raises(Conflict):
        services.sales_order_approve(order=order, actor=None)
