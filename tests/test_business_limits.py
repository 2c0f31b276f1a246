"""Values no business has are refused in the services, so pages, the API, events and imports
all get the same refusal: quantities, prices and amounts past their bounds, line amounts and
totals past their columns (before anything is written), and document dates far from today."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from erp_core.billing.models import Payment
from erp_core.billing.tests.factories import customer, payment
from erp_core.ledger import services as ledger
from erp_core.ledger.models import Journal
from erp_core.ledger.selectors import company_settings
from erp_core.purchasing.models import PurchaseOrder
from erp_core.purchasing.tests.helpers import draft_order, supplier_factory
from erp_core.sales import services as sales
from erp_core.sales.models import SalesOrder, SalesOrderLine
from erp_core.tests.factories import ItemFactory, PartnerFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

HUGE = Decimal("999999999999")


def _order(*, quantity, unit_price="1", date=None, discount=None) -> SalesOrder:
    line = {"item": ItemFactory(), "quantity": quantity, "unit_price": unit_price}
    if discount is not None:
        line["discount_percent"] = discount
    return sales.sales_order_create(
        customer=PartnerFactory(),
        warehouse=WarehouseFactory(),
        date=date or timezone.localdate(),
        lines=[line],
    )


def _refused(**kwargs) -> ValidationError:
    before = SalesOrder.objects.count(), SalesOrderLine.objects.count()
    with pytest.raises(ValidationError) as refused:
        _order(**kwargs)
    assert (SalesOrder.objects.count(), SalesOrderLine.objects.count()) == before
    return refused.value


# --- Quantities, prices, discounts: just inside and just outside -------------------------------


def test_the_issues_sales_line_of_a_trillion_by_a_trillion_is_refused_and_nothing_written():
    error = _refused(quantity=HUGE, unit_price=HUGE)
    assert "lines" in error.message_dict


@pytest.mark.parametrize(
    ("inside", "outside"),
    [
        ({"quantity": "1000000000"}, {"quantity": "1000000000.000001"}),
        ({"quantity": "0.000001"}, {"quantity": "0"}),
        (
            {"quantity": "1", "unit_price": "1000000000"},
            {"quantity": "1", "unit_price": "1000000001"},
        ),
        ({"quantity": "1", "unit_price": "0"}, {"quantity": "1", "unit_price": "-0.01"}),
        ({"quantity": "1", "discount": "100"}, {"quantity": "1", "discount": "100.0001"}),
    ],
)
def test_sales_line_bounds_take_the_value_just_inside_and_refuse_just_outside(inside, outside):
    assert _order(**inside).lines.count() == 1
    _refused(**outside)


def test_a_line_whose_amount_does_not_fit_its_column_is_refused_before_anything_is_written():
    # Each value is within its bound; their product (10¹⁸) is past the 18-digit money column.
    error = _refused(quantity="1000000000", unit_price="1000000000")
    assert "largest amount" in str(error)
    assert error.error_dict["lines"][0].code == "too_large"


def test_a_purchase_line_past_its_bounds_is_refused():
    before = PurchaseOrder.objects.count()
    for line in ({"quantity": "1000000001"}, {"quantity": "1", "unit_price": "1000000001"}):
        with pytest.raises(ValidationError):
            draft_order(
                supplier=supplier_factory(),
                warehouse=WarehouseFactory(),
                item=ItemFactory(),
                **line,
            )
    assert PurchaseOrder.objects.count() == before


def test_a_payment_past_the_amount_bound_is_refused():
    with pytest.raises(ValidationError) as refused:
        payment(customer(), "1000000000000.01")
    assert "amount" in refused.value.message_dict
    assert not Payment.objects.exists()


# --- Document dates --------------------------------------------------------------------------


def test_an_order_dated_9999_12_31_is_refused_with_the_window_named():
    error = _refused(quantity="1", date=dt.date(9999, 12, 31))
    assert "365" in " ".join(error.message_dict["date"])


def test_the_document_date_window_takes_its_edge_and_follows_the_company_setting():
    today = timezone.localdate()
    assert _order(quantity="1", date=today + dt.timedelta(days=365))
    assert _order(quantity="1", date=today - dt.timedelta(days=365))
    _refused(quantity="1", date=today + dt.timedelta(days=366))
    company = company_settings()
    company.document_date_window_days = 30
    company.save()
    error = _refused(quantity="1", date=today - dt.timedelta(days=31))
    assert "30" in " ".join(error.message_dict["date"])


def test_every_kind_of_document_refuses_a_date_far_from_today():
    far = timezone.localdate() + dt.timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        draft_order(
            supplier=supplier_factory(), warehouse=WarehouseFactory(), item=ItemFactory(), date=far
        )
    assert "date" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        payment(customer(), "100", day=far)
    assert "date" in refused.value.message_dict
    ledger.ledger_seed()
    with pytest.raises(ValidationError) as refused:
        ledger.journal_entry_create_draft(
            journal=Journal.objects.get(code="GEN"), date=far, lines=[], actor=None
        )
    assert "date" in refused.value.message_dict
