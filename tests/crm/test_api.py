"""The CRM API under /api/v1/crm/: every resource passes the shared checks (list within a query
budget, detail, create, bad input → 400 with nothing written, wrong role → 403, partners
refused), and the verbs: convert a lead, move a deal, accept a quote once, resolve a ticket.
Row-level rule: a salesperson sees their own accounts only, a manager all of them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.functional import cached_property

from common.testing import (
    APIResourceTests,
    api_client,
    assert_error_body,
    days_from_today,
    staff_user,
)
from crm.models import Account, Activity, Contact, Lead, Opportunity, PromiseToPay, Quote, Ticket
from crm.services.pipeline import stages_seed
from erp_core.models import Item, Partner
from erp_core.tests.factories import ItemFactory, PartnerFactory, TaxCodeFactory, WarehouseFactory
from integration.models import Event

URL = "/api/v1/crm/"


class _CRM:
    """A salesperson, their pipeline and items, shared by a test's objects."""

    @cached_property
    def seller(self):
        return staff_user("Sales")

    @cached_property
    def stages(self):
        return stages_seed()

    @cached_property
    def item(self) -> Item:
        vat = TaxCodeFactory(code="VAT13", rate=Decimal("0.13"))
        WarehouseFactory()
        return ItemFactory(list_price=Decimal("100.00"), vat=vat)

    def account(self, owner=None) -> Account:
        partner = PartnerFactory(kind=Partner.Kind.CUSTOMER)
        return Account.objects.create(
            name=partner.name, partner=partner, owner=owner or self.seller
        )

    def allowed_user(self):
        return self.seller

    def wrong_role_user(self):
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        return None  # partners never see CRM


class TestAccountAPI(_CRM, APIResourceTests):
    list_url = f"{URL}accounts/"
    model = Account
    max_queries = 8

    def make_object(self, partner=None):
        return self.account()

    def valid_create_payload(self):
        return {"name": "Suzhou Motors", "tax_id": "91320500MA1X000001", "phone": "0512-1234"}

    def invalid_create_payload(self):
        return {"name": "", "tax_id": "short"}


class TestContactAPI(_CRM, APIResourceTests):
    list_url = f"{URL}contacts/"
    model = Contact
    max_queries = 8

    def make_object(self, partner=None):
        return Contact.objects.create(account=self.account(), name="Wang")

    def valid_create_payload(self):
        return {"account": self.account().pk, "name": "Zhang San", "is_primary": True}

    def invalid_create_payload(self):
        return {"account": self.account(owner=staff_user("Sales")).pk, "name": "Not mine"}


class TestLeadAPI(_CRM, APIResourceTests):
    list_url = f"{URL}leads/"
    model = Lead
    max_queries = 8
    counter = 0

    def make_object(self, partner=None):
        TestLeadAPI.counter += 1
        return Lead.objects.create(company=f"Lead {TestLeadAPI.counter}", owner=self.seller)

    def valid_create_payload(self):
        return {"company": "Hangzhou Pumps", "email": "buy@pumps.cn", "score": 40, "source": "web"}

    def invalid_create_payload(self):
        return {"company": "X", "score": 101, "source": "fax"}


class TestOpportunityAPI(_CRM, APIResourceTests):
    list_url = f"{URL}opportunities/"
    model = Opportunity
    max_queries = 8
    limit_checks = (("amount", "1000000000000", "1000000000000.01"),)

    def make_object(self, partner=None):
        return Opportunity.objects.create(
            account=self.account(), name="Deal", stage=self.stages[0], owner=self.seller
        )

    def valid_create_payload(self):
        self.stages  # noqa: B018 - the pipeline exists
        return {"account": self.account().pk, "name": "Gearboxes", "amount": "5000"}

    def invalid_create_payload(self):
        return {"account": self.account().pk, "name": "Bad", "amount": "-1"}


class TestQuoteAPI(_CRM, APIResourceTests):
    list_url = f"{URL}quotes/"
    model = Quote
    max_queries = 10
    limit_checks = (
        ("lines.0.quantity", "0.000001", "0"),
        ("lines.0.discount_percent", "100", "100.01"),
        ("lines.0.quantity", "1000000000", "1000000000.000001"),
        ("lines.0.unit_price", "1000000000", "1000000000.000001"),
        ("lines.0.unit_price", "0", "-0.01"),
    )

    def make_object(self, partner=None):
        from crm.services.quotes import quote_create

        return quote_create(account=self.account(), lines=[{"item": self.item, "quantity": "2"}])

    def valid_create_payload(self):
        return {"account": self.account().pk, "lines": [{"item": self.item.pk, "quantity": "3"}]}

    def invalid_create_payload(self):
        return {"account": self.account().pk, "lines": [{"item": self.item.pk, "quantity": 1.5}]}


class TestActivityAPI(_CRM, APIResourceTests):
    list_url = f"{URL}activities/"
    model = Activity
    max_queries = 8

    def make_object(self, partner=None):
        return Activity.objects.create(
            kind="call", subject="Call", account=self.account(), owner=self.seller
        )

    def valid_create_payload(self):
        return {
            "kind": "meeting",
            "subject": "Demo",
            "account": self.account().pk,
            "due_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        }

    def invalid_create_payload(self):
        return {"kind": "fax", "subject": ""}


class TestTicketAPI(_CRM, APIResourceTests):
    list_url = f"{URL}tickets/"
    model = Ticket
    max_queries = 8

    def make_object(self, partner=None):
        from crm.services.activities import ticket_create

        return ticket_create(account=self.account(), subject="Leak")

    def valid_create_payload(self):
        return {
            "account": self.account().pk,
            "subject": "Noise",
            "priority": "high",
            "lot_or_serial": "L-1",
        }

    def invalid_create_payload(self):
        return {"account": self.account().pk, "subject": "", "priority": "whenever"}


class TestPromiseToPayAPI(_CRM, APIResourceTests):
    list_url = f"{URL}promises-to-pay/"
    model = PromiseToPay
    max_queries = 8
    limit_checks = (
        ("amount", "0.01", "0"),
        ("amount", "1000000000000", "1000000000000.01"),
        ("promised_date", days_from_today(0), days_from_today(-1)),
    )

    def make_object(self, partner=None):
        return PromiseToPay.objects.create(
            account=self.account(), amount=Decimal("10"), promised_date=timezone.localdate()
        )

    def valid_create_payload(self):
        return {
            "account": self.account().pk,
            "amount": "100.00",
            "promised_date": timezone.localdate().isoformat(),
        }

    def invalid_create_payload(self):
        return {"account": self.account().pk, "amount": "100.00", "promised_date": "2000-01-01"}


# --- Verbs and the row-level rule ---------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.mark.django_db
def test_a_duplicate_lead_is_409_and_the_check_lists_it():
    seller = staff_user("Sales")
    client = api_client(seller)
    assert client.post(f"{URL}leads/", {"company": "Acme Ltd"}, format="json").status_code == 201
    response = client.post(f"{URL}leads/", {"company": "ACME"}, format="json")
    assert_error_body(response, 409, "duplicate")
    assert Lead.objects.count() == 1
    found = client.post(f"{URL}leads/duplicates/", {"company": "acme co., ltd."}, format="json")
    assert found.status_code == 200 and found.json()["duplicates"][0]["matched"] == ["company"]
    assert_error_body(client.post(f"{URL}leads/duplicates/", {}, format="json"), 400)


@pytest.mark.django_db
def test_convert_move_and_accept_through_the_api():
    seller = staff_user("Sales")
    stages = stages_seed()
    client = api_client(seller)
    lead = client.post(f"{URL}leads/", {"company": "Wuxi Valves"}, format="json").json()
    converted = client.post(f"{URL}leads/{lead['id']}/convert/", {"amount": "900"}, format="json")
    assert converted.status_code == 200, converted.content
    assert converted.json()["status"] == "converted"
    deal = Opportunity.objects.get()
    moved = client.post(
        f"{URL}opportunities/{deal.pk}/move/", {"stage": stages[2].pk}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["probability"] == "50.00"
    bad = client.post(f"{URL}opportunities/{deal.pk}/move/", {"stage": 999999}, format="json")
    assert_error_body(bad, 400)
    account = Account.objects.get()
    account.partner = PartnerFactory(kind=Partner.Kind.CUSTOMER)
    account.save()
    WarehouseFactory()
    item = ItemFactory(list_price=Decimal("10"))
    quote = client.post(
        f"{URL}quotes/",
        {
            "account": account.pk,
            "opportunity": deal.pk,
            "lines": [{"item": item.pk, "quantity": "5"}],
        },
        format="json",
    ).json()
    accepted = client.post(f"{URL}quotes/{quote['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert_error_body(client.post(f"{URL}quotes/{quote['id']}/accept/"), 409, "already_accepted")
    assert Event.objects.filter(topic="crm.quote_accepted").count() == 1


@pytest.mark.django_db
def test_a_salesperson_sees_only_their_own_accounts_unless_allowed_all():
    mine_user, theirs_user = staff_user("Sales"), staff_user("Sales")
    mine = Account.objects.create(name="Mine", owner=mine_user)
    theirs = Account.objects.create(name="Theirs", owner=theirs_user)
    client = api_client(mine_user)
    ids = {row["id"] for row in client.get(f"{URL}accounts/").json()["results"]}
    assert ids == {mine.pk}
    assert_error_body(client.get(f"{URL}accounts/{theirs.pk}/"), 404)
    response = client.post(f"{URL}contacts/", {"account": theirs.pk, "name": "x"}, format="json")
    assert_error_body(response, 400)
    assert not Contact.objects.exists()
    manager = staff_user("Admin")
    ids = {row["id"] for row in api_client(manager).get(f"{URL}accounts/").json()["results"]}
    assert ids == {mine.pk, theirs.pk}


@pytest.mark.django_db
def test_a_discount_above_the_threshold_waits_for_a_manager():
    seller, manager = staff_user("Sales"), staff_user("Admin")
    partner = PartnerFactory(kind=Partner.Kind.CUSTOMER)
    account = Account.objects.create(name="A", owner=seller, partner=partner)
    item = ItemFactory(list_price=Decimal("10"))
    WarehouseFactory()
    quote = (
        api_client(seller)
        .post(
            f"{URL}quotes/",
            {
                "account": account.pk,
                "lines": [{"item": item.pk, "quantity": "1", "discount_percent": "20"}],
            },
            format="json",
        )
        .json()
    )
    assert quote["status"] == "awaiting_approval"
    assert_error_body(api_client(seller).post(f"{URL}quotes/{quote['id']}/approve/"), 403)
    response = api_client(manager).post(f"{URL}quotes/{quote['id']}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"


@pytest.mark.django_db
def test_ticket_resolution_needs_a_text():
    seller = staff_user("Sales")
    account = Account.objects.create(name="A", owner=seller)
    client = api_client(seller)
    ticket = client.post(
        f"{URL}tickets/", {"account": account.pk, "subject": "Leak"}, format="json"
    ).json()
    assert_error_body(
        client.post(f"{URL}tickets/{ticket['id']}/resolve/", {"resolution": ""}, format="json"), 400
    )
    done = client.post(
        f"{URL}tickets/{ticket['id']}/resolve/", {"resolution": "Sealed"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "resolved"
