"""Promise dates from stock, else from lead time."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from erp_core.masterdata.models import Item
from erp_core.scheduling.promise import Promise, promise_dates
from erp_core.stock.models import StockBalance
from erp_core.tests.factories import ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


def test_stock_on_hand_promises_today_and_a_bought_item_beyond_it_waits_its_lead_time():
    today = timezone.localdate()
    item = ItemFactory(make_or_buy=Item.MakeOrBuy.BUY, purchase_lead_time_days=12)
    StockBalance.objects.create(item=item, warehouse=WarehouseFactory(), quantity=Decimal(5))

    covered, short = promise_dates(lines=[(item.pk, Decimal(5)), (item.pk, Decimal(6))])

    assert (covered.date, covered.basis) == (today, Promise.Basis.STOCK)
    assert (short.date, short.basis) == (
        today + datetime.timedelta(days=12),
        Promise.Basis.LEAD_TIME,
    )


def test_a_made_item_waits_its_production_lead_time_and_never_before_the_requested_date():
    today = timezone.localdate()
    item = ItemFactory(make_or_buy=Item.MakeOrBuy.MAKE, production_lead_time_days=3)
    later = today + datetime.timedelta(days=30)

    (soon,) = promise_dates(lines=[(item.pk, Decimal(1))])
    (requested,) = promise_dates(lines=[(item.pk, Decimal(1))], requested_date=later)

    assert soon.date == today + datetime.timedelta(days=3)
    assert requested.date == later
