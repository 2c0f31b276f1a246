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


def test_a_made_item_with_a_routing_is_promised_when_free_capacity_can_make_it(shop):
    from erp_core.scheduling.services import schedule_run

    (empty,) = promise_dates(lines=[(shop.bracket.pk, Decimal(2))])
    assert empty.basis == Promise.Basis.CAPACITY
    # 2 h on the saw, then 2 h on a drill, on a calendar that never stops: today or tomorrow.
    assert empty.date <= timezone.localdate() + datetime.timedelta(days=1)
    for _ in range(12):
        shop.released("40", due_in_days=30)  # 21 h of sawing each
    schedule_run(seconds=Decimal("0.3"))
    (busy,) = promise_dates(lines=[(shop.bracket.pk, Decimal(2))])
    assert busy.basis == Promise.Basis.CAPACITY
    # The saw is taken for 12 × 21 h = 10.5 days before the new line can be cut.
    assert busy.date >= timezone.localdate() + datetime.timedelta(days=10)
