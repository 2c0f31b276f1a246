"""CRM's staff pages: each opens for sales and is refused to other roles; lead entry shows the
look-alikes; quotes print as PDF in Chinese and English; lists export to Excel; the Excel
import previews every row's errors, writes nothing, then imports the good rows."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from crm.models import Account, Lead, Opportunity, PromiseToPay, TracedLot, TracedShipment
from crm.services.accounts import lead_create
from crm.services.activities import ticket_create
from crm.services.pipeline import opportunity_create, stages_seed
from crm.services.quotes import quote_create
from erp_core.models import Partner
from erp_core.sales.models import SalesOrder
from erp_core.tests.factories import ItemFactory, PartnerFactory, UserFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

PAGES = (
    "crm:dashboard",
    "crm:my-day",
    "crm:account-list",
    "crm:lead-list",
    "crm:pipeline",
    "crm:opportunity-list",
    "crm:quote-list",
    "crm:ticket-list",
    "crm:collections",
    "crm:import",
    "crm:lead-create",
    "crm:account-create",
    "crm:quote-create",
    "crm:activity-create",
    "crm:ticket-create",
    "crm:opportunity-create",
    "crm:promise-create",
)


@pytest.fixture
def seller(client):
    user = UserFactory(roles=["Sales"])
    client.force_login(user)
    return user


@pytest.fixture
def world(seller):
    stages_seed()
    WarehouseFactory()
    partner = PartnerFactory(kind=Partner.Kind.CUSTOMER)
    account = Account.objects.create(name="华东机电", partner=partner, owner=seller)
    deal = opportunity_create(
        account=account, name="框架协议", amount=Decimal("1000"), owner=seller
    )
    item = ItemFactory(list_price=Decimal("99.00"))
    quote = quote_create(account=account, opportunity=deal, lines=[{"item": item, "quantity": "2"}])
    ticket_create(account=account, subject="异响")
    return {"account": account, "deal": deal, "quote": quote, "item": item}


def test_every_page_opens_for_sales(client, world):
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert client.get(reverse("crm:account-detail", args=[world["account"].pk])).status_code == 200
    assert client.get(reverse("crm:quote-detail", args=[world["quote"].pk])).status_code == 200


def test_other_roles_are_refused(client, world):
    client.force_login(UserFactory(roles=["Shop floor"]))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name


def test_another_salespersons_account_is_not_found(client, world):
    client.force_login(UserFactory(roles=["Sales"]))
    assert client.get(reverse("crm:account-detail", args=[world["account"].pk])).status_code == 404
    assert client.get(reverse("crm:quote-detail", args=[world["quote"].pk])).status_code == 404


def test_a_lead_that_looks_known_shows_its_look_alikes_and_is_not_saved(client, seller, world):
    response = client.post(
        reverse("crm:lead-create"), {"company": "华东机电有限公司", "source": "web", "score": "10"}
    )
    assert response.status_code == 400
    assert "华东机电" in response.content.decode()
    assert b'data-testid="duplicates"' in response.content
    assert not Lead.objects.exists()
    response = client.post(
        reverse("crm:lead-create"),
        {"company": "华东机电有限公司", "source": "web", "score": "10", "allow_duplicate": "on"},
    )
    assert response.status_code == 302 and Lead.objects.count() == 1


def test_a_drag_posts_a_move_and_a_bad_stage_is_400(client, world):
    url = reverse("crm:opportunity-move", args=[world["deal"].pk])
    stage = world["deal"].stage.__class__.objects.order_by("position")[2]
    assert client.post(url, {"stage": stage.pk}).json()["probability"] == "50.00"
    assert Opportunity.objects.get().stage == stage
    assert client.post(url, {"stage": "999999"}).status_code == 400


def test_a_quote_prints_in_chinese_and_english(client, world):
    url = reverse("crm:quote-pdf", args=[world["quote"].pk])
    for lang in ("zh-hans", "en"):
        response = client.get(url, {"lang": lang})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_lists_export_to_excel(client, world):
    for name in (
        "crm:account-list",
        "crm:lead-list",
        "crm:opportunity-list",
        "crm:quote-list",
        "crm:ticket-list",
        "crm:collections",
    ):
        response = client.get(reverse(name), {"format": "xlsx"})
        assert response.status_code == 200, name
        book = load_workbook(BytesIO(response.content))
        assert book.active.max_row >= 1
    rows = list(
        load_workbook(
            BytesIO(client.get(reverse("crm:quote-list"), {"format": "xlsx"}).content)
        ).active.values
    )
    assert rows[1][0] == world["quote"].number


def _sheet(rows) -> BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "leads.xlsx"
    return buffer


def test_the_import_previews_row_errors_then_imports_the_good_rows(client, seller):
    lead_create(company="Acme Ltd", owner=seller)
    upload = _sheet(
        [
            ("公司名称", "联系人", "电话", "邮箱", "评分"),
            ("Hangzhou Pumps", "Wang", "0571-1234", "wang@pumps.cn", 50),
            ("ACME", "", "", "", ""),  # like a known lead
            ("Hangzhou Pumps Co., Ltd.", "", "", "", ""),  # like row 2 of the same file
            ("Bad score", "", "", "", 500),
            ("", "", "", "x@y.cn", ""),  # no company
        ]
    )
    response = client.post(reverse("crm:import"), {"kind": "leads", "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("table-danger") == 4 and page.count("table-success") == 1
    assert Lead.objects.count() == 1  # the preview wrote nothing
    response = client.post(reverse("crm:import"), {"confirm": "1"})
    assert response.status_code == 302
    assert set(Lead.objects.values_list("company", flat=True)) == {"Acme Ltd", "Hangzhou Pumps"}


def test_a_file_that_is_not_excel_is_refused(client, seller):
    upload = BytesIO(b"not a spreadsheet")
    upload.name = "x.xlsx"
    response = client.post(reverse("crm:import"), {"kind": "accounts", "file": upload})
    assert response.status_code == 400
    assert not Account.objects.exists()


def test_the_customer_360_page_shows_one_timeline_in_the_readers_language(client, world):
    url = reverse("crm:account-detail", args=[world["account"].pk])
    page = client.get(url).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert world["quote"].number in timeline and "异响" in timeline and "框架协议" in timeline
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert "报价单" in timeline and "服务工单" in timeline


def test_a_ticket_page_shows_the_trace_of_its_lot_and_the_api_gives_it(client, seller, world):
    today, now = dt.date(2026, 12, 1), dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    item = ItemFactory(code="GB-T")
    TracedLot.objects.create(
        item=item,
        number="FG-9",
        production_order_id=5,
        production_order_number="PO-2026-000005",
        work_order_id=8,
        made_at=now,
        quantity=Decimal("10"),
    )
    other = PartnerFactory(name="Elsewhere Ltd")
    order = SalesOrder.objects.create(
        number="SO-TR-1", customer=other, warehouse=WarehouseFactory(code="W-TR"), date=today
    )
    TracedShipment.objects.create(
        shipment_id=1,
        sales_order=order,
        customer=other,
        item=item,
        lot_number="FG-9",
        quantity=Decimal("2"),
        shipped_at=now,
    )
    ticket = ticket_create(account=world["account"], subject="Noise", lot_or_serial="FG-9")
    page = client.get(f"/crm/tickets/{ticket.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "PO-2026-000005" in body and "Elsewhere Ltd" in body and "SO-TR-1" in body
    api = APIClient()
    api.force_authenticate(seller)
    answer = api.get(f"/api/v1/crm/tickets/{ticket.pk}/trace/")
    assert answer.status_code == 200
    (trace,) = answer.json()
    assert api.get(f"/api/v1/crm/tickets/{ticket.pk + 1000}/trace/").status_code == 404
    assert trace["production_order_number"] == "PO-2026-000005" and trace["serial"] == ""
    assert [s["customer_name"] for s in trace["other_customers"]] == ["Elsewhere Ltd"]


def test_a_promise_to_pay_is_recorded_on_its_page_and_bad_input_writes_nothing(
    client, seller, world
):
    url = reverse("crm:promise-create")
    account = world["account"].pk
    past = {"account": account, "amount": "500", "promised_date": "2000-01-01"}
    response = client.post(url, past)
    assert response.status_code == 400 and not PromiseToPay.objects.exists()
    assert "promised_date" in response.context["form"].errors
    other = Account.objects.create(name="Not mine", owner=UserFactory(roles=["Sales"]))
    day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"account": other.pk, "amount": "500", "promised_date": day})
    assert response.status_code == 400 and not PromiseToPay.objects.exists()
    response = client.post(url, {"account": account, "amount": "500", "promised_date": day})
    assert response.status_code == 302
    promise = PromiseToPay.objects.get()
    assert (promise.account_id, promise.amount, promise.created_by) == (
        account,
        Decimal("500.00"),
        seller,
    )
