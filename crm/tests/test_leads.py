"""Leads: de-duplication on entry, conversion to account + contact + opportunity, and the ERP
customer registered for a new account through the bus."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict
from crm.models import Account, Contact, Lead, Opportunity, company_key
from crm.services.accounts import account_create, lead_convert, lead_create, lead_update
from crm.services.imports import import_rows
from crm.tests.conftest import deliver_all
from erp_core.models import Partner
from erp_core.tests.factories import PartnerFactory
from integration.models import Event

pytestmark = pytest.mark.django_db


def test_company_names_compare_without_case_punctuation_or_legal_form():
    assert company_key("Acme Co., Ltd.") == company_key("ACME co ltd") == "acme"
    assert company_key("上海精工机械有限公司") == company_key("上海精工机械")
    assert company_key("Acme") != company_key("Acmes")


@pytest.mark.parametrize(
    ("first", "second", "matched"),
    [
        ({"company": "Acme Co., Ltd."}, {"company": "ACME Ltd"}, "company"),
        (
            {"company": "A", "phone": "+86 138-0013-8000"},
            {"company": "B", "phone": "13800138000"},
            "phone",
        ),
        (
            {"company": "A", "email": "Buyer@Acme.cn"},
            {"company": "B", "email": "buyer@acme.cn"},
            "email",
        ),
        (
            {"company": "A", "tax_id": "91310000MA1K000001"},
            {"company": "B", "tax_id": "91310000ma1k000001"},
            "tax_id",
        ),
    ],
)
def test_a_lead_that_looks_known_is_refused_on_entry(seller, first, second, matched):
    lead_create(owner=seller, **first)
    with pytest.raises(Conflict) as refused:
        lead_create(owner=seller, **second)
    assert refused.value.code == "duplicate"
    assert Lead.objects.count() == 1


def test_a_duplicate_kept_on_purpose_points_at_the_first(seller):
    first = lead_create(owner=seller, company="Acme Co., Ltd.")
    second = lead_create(owner=seller, company="ACME", allow_duplicate=True)
    assert second.duplicate_of == first


def test_a_lead_like_an_existing_account_is_refused(seller, account):
    with pytest.raises(Conflict):
        lead_create(owner=seller, company=account.name.upper())


def test_lost_or_converted_leads_no_longer_block_a_new_one(seller):
    old = lead_create(owner=seller, company="Acme")
    lead_update(lead=old, status=Lead.Status.LOST)
    assert lead_create(owner=seller, company="Acme").duplicate_of is None


def test_bad_lead_input_is_refused_and_nothing_written(seller):
    with pytest.raises(ValidationError):
        lead_create(owner=seller, company="X", score=101)
    with pytest.raises(ValidationError):
        lead_create(owner=seller, company="X", tax_id="123")
    with pytest.raises(ValidationError):
        lead_create(owner=seller, company="X", colour="red")
    assert Lead.objects.count() == 0


def test_conversion_makes_account_contact_and_opportunity_and_the_erp_customer(seller, stages):
    lead = lead_create(
        owner=seller,
        company="Ningbo Gear Works",
        contact_name="Li Wei",
        phone="0574-8888 1234",
        email="li@gear.cn",
        tax_id="91330200MA2H000001",
    )
    result = lead_convert(lead=lead, actor=seller, amount="120000", opportunity_name="Gearboxes")
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED and lead.account == result.account
    assert result.account.owner == seller
    assert Contact.objects.get(account=result.account).is_primary
    opportunity = Opportunity.objects.get(account=result.account)
    assert opportunity.stage == stages["first"]
    assert opportunity.amount == Decimal("120000")
    assert opportunity.probability == stages["first"].probability
    assert result.account.partner is None
    assert Event.objects.filter(topic="crm.account_opened").count() == 1
    deliver_all()  # the ERP registers the customer and answers; CRM binds it
    account = Account.objects.get(pk=result.account.pk)
    assert account.partner is not None
    assert account.partner.kind == Partner.Kind.CUSTOMER
    assert account.partner.tax_id == "91330200MA2H000001"
    deliver_all()
    assert Partner.objects.filter(tax_id="91330200MA2H000001").count() == 1


def test_an_account_with_a_known_tax_id_binds_the_erp_customer_at_once(seller):
    partner = PartnerFactory(kind=Partner.Kind.CUSTOMER)
    account = account_create(name="Whatever", owner=seller, tax_id=partner.tax_id)
    assert account.partner == partner
    assert not Event.objects.filter(topic="crm.account_opened").exists()


def test_a_lead_converts_into_the_existing_account_of_the_same_company(seller, account, stages):
    lead = lead_create(owner=seller, company="Someone else", allow_duplicate=True)
    result = lead_convert(lead=lead, actor=seller, account=account)
    assert result.account == account
    assert Account.objects.count() == 1


def test_a_converted_lead_is_not_converted_again(seller, stages):
    lead = lead_create(owner=seller, company="Once")
    lead_convert(lead=lead, actor=seller)
    with pytest.raises(Conflict):
        lead_convert(lead=lead, actor=seller)
    assert Account.objects.count() == 1


def test_an_account_import_refuses_look_alikes_of_accounts_and_of_earlier_rows(seller, account):
    rows = [
        {"name": "Ningbo Castings"},
        {"name": "NINGBO CASTINGS Co., Ltd."},  # like the row before
        {"name": account.name.upper()},  # like a known account
        {"name": "Wuxi Gears", "tax_id": "short"},
    ]
    results = import_rows(kind="accounts", rows=rows, owner=seller, commit=True)
    assert [r.ok for r in results] == [True, False, False, False]
    assert all(r.errors for r in results[1:])
    assert set(Account.objects.values_list("name", flat=True)) == {account.name, "Ningbo Castings"}
