"""Concurrency on PostgreSQL: a quote accepted by several people at the same moment is accepted
once, publishes one ``crm.quote_accepted`` and makes exactly one ERP sales order."""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from common.errors import Conflict
from crm.models import Account, Quote
from crm.services.quotes import quote_accept, quote_create
from crm.tests.conftest import deliver_all
from erp_core.models import Partner
from erp_core.sales.models import SalesOrder
from erp_core.tests.factories import ItemFactory, PartnerFactory, UserFactory, WarehouseFactory
from integration.models import Event


def _race(n: int, work) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        try:
            barrier.wait()
            work(k)
            result = "done"
        except Conflict:
            result = "refused"
        except BaseException as exc:  # surfaced below
            result = repr(exc)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_quote_accepted_twice_at_the_same_moment_makes_one_sales_order():
    WarehouseFactory()
    seller = UserFactory()
    partner = PartnerFactory(kind=Partner.Kind.CUSTOMER)
    account = Account.objects.create(name=partner.name, partner=partner, owner=seller)
    item = ItemFactory(list_price=Decimal("10"))
    quote = quote_create(account=account, lines=[{"item": item, "quantity": "4"}])
    outcomes = _race(8, lambda k: quote_accept(quote=Quote.objects.get(pk=quote.pk), actor=seller))
    assert sorted(outcomes) == ["done"] + ["refused"] * 7
    deliver_all()
    assert Event.objects.filter(topic="crm.quote_accepted").count() == 1
    assert SalesOrder.objects.filter(crm_quote_id=quote.pk).count() == 1
    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.ACCEPTED
