"""Extreme numbers fed to every document service's numeric inputs: each is either accepted and
fits its columns, or refused with a ``ValidationError`` — never another exception, never a
partial write. Hypothesis adds random decimals to the fixed extremes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erp_core.billing import services as billing
from erp_core.billing.models import Payment
from erp_core.billing.tests.factories import customer
from erp_core.ledger import services as ledger
from erp_core.ledger.models import Account, Journal, JournalEntry
from erp_core.purchasing.models import PurchaseOrder, PurchaseOrderLine
from erp_core.purchasing.tests.helpers import draft_order, supplier_factory
from erp_core.sales import services as sales
from erp_core.sales.models import PriceList, SalesOrder, SalesOrderLine
from erp_core.testing.books import BOOKS_DAY
from erp_core.tests.factories import ItemFactory, PartnerFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

EXTREMES = (
    "999999999999999999999999",
    "1E+30",
    "1e-30",
    "0.0000001",
    "-1",
    "-999999999999",
    "0",
    "1.0000000001",
    "NaN",
    "-Infinity",
    "inf",
    "sNaN",
    "1_000",
    "",
    "  ",
    "12.5.5",
    Decimal("1E+400"),
    Decimal("-0"),
    10**40,
    1.5,
    True,
    None,
)

#: Random decimals as strings: huge, tiny, negative, many places.
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None).map(
    str
) | st.sampled_from(EXTREMES)

RANDOM = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)


def _fits(row: models.Model) -> None:
    """Every decimal of ``row``, read back from the database, fits its column."""
    row = type(row)._default_manager.get(pk=row.pk)
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.DecimalField) and value is not None:
            limit = Decimal(10) ** (field.max_digits - field.decimal_places)
            assert value.is_finite() and abs(value) < limit, (field.name, value)


def _accepted_or_refused(call, value, counted: tuple[type[models.Model], ...]) -> None:
    """``call(value)`` creates rows that fit, or is refused with nothing written."""
    before = [model._default_manager.count() for model in counted]
    try:
        with transaction.atomic():
            created = call(value)
    except ValidationError:
        assert [model._default_manager.count() for model in counted] == before, value
        return
    for row in created:
        _fits(row)


def _sales_line(slot: str):
    item, warehouse = ItemFactory(list_price=Decimal("10")), WarehouseFactory()

    def call(value):
        line = {"item": item, "quantity": Decimal("1"), slot: value}
        order = sales.sales_order_create(
            customer=PartnerFactory(), warehouse=warehouse, date=timezone.localdate(), lines=[line]
        )
        return [order, *order.lines.all()]

    return call


def _purchase_line(slot: str):
    item, warehouse, supplier = ItemFactory(), WarehouseFactory(), supplier_factory()

    def call(value):
        line = {"item": item, "quantity": Decimal("1"), "unit_price": Decimal("1"), slot: value}
        order = draft_order(supplier=supplier, warehouse=warehouse, item=item, lines=[line])
        return [order, *order.lines.all()]

    return call


def _price_list(slot: str):
    item = ItemFactory()

    def call(value):
        row = {"item": item, "min_quantity": Decimal("0"), "unit_price": Decimal("1"), slot: value}
        price_list = sales.price_list_create(
            code=f"PL{PriceList.objects.count()}", name="Extreme", items=[row]
        )
        return [price_list, *price_list.items.all()]

    return call


def _payment():
    partner = customer()

    def call(value):
        made = billing.payment_create(
            direction=Payment.Direction.RECEIVED,
            partner=partner,
            date=BOOKS_DAY,
            amount=value,
            actor=None,
        )
        return [made]

    return call


def _journal_entry(slot: str):
    ledger.ledger_seed()
    journal = Journal.objects.get(code="GEN")
    cash, sales_account = Account.objects.get(code="1002"), Account.objects.get(code="6001")

    def call(value):
        other = "credit" if slot == "debit" else "debit"
        entry = ledger.journal_entry_create_draft(
            journal=journal,
            date=BOOKS_DAY,
            lines=[
                {"account": cash, slot: value},
                {"account": sales_account, other: value},
            ],
            actor=None,
        )
        return [entry, *entry.lines.all()]

    return call


SERVICES = {
    "sales quantity": (lambda: _sales_line("quantity"), (SalesOrder, SalesOrderLine)),
    "sales unit price": (lambda: _sales_line("unit_price"), (SalesOrder, SalesOrderLine)),
    "sales discount": (lambda: _sales_line("discount_percent"), (SalesOrder, SalesOrderLine)),
    "purchase quantity": (lambda: _purchase_line("quantity"), (PurchaseOrder, PurchaseOrderLine)),
    "purchase unit price": (
        lambda: _purchase_line("unit_price"),
        (PurchaseOrder, PurchaseOrderLine),
    ),
    "purchase discount": (
        lambda: _purchase_line("discount_percent"),
        (PurchaseOrder, PurchaseOrderLine),
    ),
    "price list price": (lambda: _price_list("unit_price"), (PriceList,)),
    "price list minimum": (lambda: _price_list("min_quantity"), (PriceList,)),
    "payment amount": (_payment, (Payment,)),
    "journal debit": (lambda: _journal_entry("debit"), (JournalEntry,)),
}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_extreme_is_accepted_and_fits_or_refused_with_nothing_written(name, books):
    make, counted = SERVICES[name]
    call = make()
    for value in EXTREMES:
        _accepted_or_refused(call, value, counted)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_random_decimals_are_accepted_and_fit_or_refused(name, books):
    make, counted = SERVICES[name]
    call = make()

    @RANDOM
    @given(DECIMALS)
    def feed(value):
        _accepted_or_refused(call, value, counted)

    feed()
