"""Fixtures of the CRM tests: a pipeline, salespeople, an account bound to an ERP customer,
items with VAT, and a helper that delivers the outbox as the bus would after commit."""

from decimal import Decimal

import pytest

from crm.models import Account, Stage
from crm.services.pipeline import stages_seed
from erp_core.models import Item, Partner
from erp_core.tests.factories import (
    ItemFactory,
    PartnerFactory,
    TaxCodeFactory,
    UserFactory,
    WarehouseFactory,
)
from integration.models import Event
from integration.services import event_deliver


def deliver_all(rounds: int = 5) -> int:
    """Deliver every pending event (and those their receivers publish); the number delivered."""
    delivered = 0
    for _ in range(rounds):
        pending = list(
            Event.objects.filter(status=Event.Status.PENDING).order_by("occurred_at", "pk")
        )
        if not pending:
            break
        for event in pending:
            event_deliver(event_id=event.pk)
            delivered += 1
    return delivered


@pytest.fixture
def stages(db) -> dict[str, Stage]:
    """The default pipeline, by outcome and first open stage."""
    rows = stages_seed()
    return {
        "first": rows[0],
        "proposal": rows[2],
        "won": next(s for s in rows if s.outcome == Stage.Outcome.WON),
        "lost": next(s for s in rows if s.outcome == Stage.Outcome.LOST),
    }


@pytest.fixture
def seller(db):
    """A salesperson."""
    return UserFactory(roles=["Sales"])


@pytest.fixture
def other_seller(db):
    """Another salesperson."""
    return UserFactory(roles=["Sales"])


@pytest.fixture
def manager(db):
    """Someone who sees every account and approves discounts (the Admin role)."""
    return UserFactory(roles=["Admin"])


@pytest.fixture
def customer(db) -> Partner:
    """An ERP customer."""
    return PartnerFactory(kind=Partner.Kind.CUSTOMER)


@pytest.fixture
def account(customer, seller) -> Account:
    """The seller's account, bound to the ERP customer."""
    return Account.objects.create(name=customer.name, partner=customer, owner=seller)


@pytest.fixture
def warehouse(db):
    """The main warehouse (sales orders ship from it)."""
    return WarehouseFactory()


@pytest.fixture
def item(db) -> Item:
    """A finished good listed at 100.00, VAT 13 %, bought in 10 days."""
    vat = TaxCodeFactory(code="VAT13", rate=Decimal("0.13"))
    return ItemFactory(
        item_type=Item.ItemType.FINISHED_GOOD,
        list_price=Decimal("100.00"),
        vat=vat,
        make_or_buy=Item.MakeOrBuy.BUY,
        purchase_lead_time_days=10,
    )
