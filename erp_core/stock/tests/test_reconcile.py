"""The stock checks of ``manage.py reconcile``."""

from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from erp_core.ledger.reconcile import run_checks
from erp_core.registry import reconcile_checks
from erp_core.stock import services
from erp_core.stock.models import StockBalance
from erp_core.stock.reconcile import STOCK_CHECKS

pytestmark = pytest.mark.django_db


def test_the_stock_checks_are_registered_with_reconcile():
    assert all(check in reconcile_checks() for check in STOCK_CHECKS)


def test_booked_moves_reconcile(books, make_item, warehouse):
    item = make_item("fifo")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("3"), unit_cost=D("7"))
    services.stock_issue(item=item, warehouse=warehouse, quantity=D("1"))
    assert run_checks() == []
    call_command("reconcile")


def test_a_balance_out_of_step_with_the_ledger_and_the_books_is_reported(
    books, make_item, warehouse
):
    item = make_item()
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("3"), unit_cost=D("7"))
    StockBalance.objects.filter(item=item).update(value=D("99.00"))
    breaches = run_checks()
    assert {b.check for b in breaches} == {"inventory_valuation", "stock_balance"}
    assert any(item.code in b.message for b in breaches)
    with pytest.raises(CommandError, match="2 breach"):
        call_command("reconcile")
