"""The billing API: the shared resource checks, the flow actions, partner scoping for every
endpoint, Idempotency-Key, aging and statements."""

from decimal import Decimal as D

import pytest

from common.testing import (
    APIResourceTests,
    DocumentFlowTests,
    api_client,
    assert_error_body,
    date_window_edge,
    partner_user,
    staff_user,
)
from erp_core.billing import services
from erp_core.billing.models import Invoice, Payment
from erp_core.billing.tests.factories import (
    TODAY,
    customer,
    customer_invoice,
    item,
    payment,
    received_receipt,
    shipped_delivery,
    supplier,
    supplier_bill,
)
from erp_core.ledger.models import JournalEntry
from erp_core.models import Partner

INVOICES = "/api/v1/erp/invoices/"
PAYMENTS = "/api/v1/erp/payments/"
AGING = "/api/v1/erp/aging/"
STATEMENTS = "/api/v1/erp/partner-statements/"
DAY = "2026-03-15"


@pytest.mark.usefixtures("books")
class TestCustomerInvoiceAPI(DocumentFlowTests, APIResourceTests):
    """Customer invoices through the shared checks and the status flow."""

    list_url = INVOICES
    model = Invoice
    max_queries = 12

    limit_checks = (
        # Two of the five shipped are invoiced by the valid body: at most five in all.
        ("lines.0.quantity", "5", "5.000001"),
        ("lines.0.quantity", "0.000001", "0"),
        ("date", date_window_edge(outside=False), date_window_edge(outside=True)),
    )

    def make_object(self, partner=None):
        return customer_invoice(partner, post=True)

    def make_draft(self):
        return customer_invoice()

    def make_downstream(self, document):
        services.credit_note_create(invoice=document, date=TODAY, actor=None)
        return True

    def valid_create_payload(self):
        partner = customer()
        delivery = shipped_delivery(partner, [(item(), "5", "20")])
        return {
            "kind": "customer_invoice",
            "partner": partner.pk,
            "date": DAY,
            "lines": [{"delivery_line": delivery.lines.get().pk, "quantity": "2"}],
        }

    def invalid_create_payload(self):
        return {
            "kind": "customer_invoice",
            "partner": customer().pk,
            "date": DAY,
            "lines": [{"item": item().pk, "quantity": "-1", "unit_price": "5"}],
        }

    def allowed_user(self):
        return staff_user("Finance")

    def wrong_role_user(self):
        return staff_user("Warehouse")

    def partner_user_for(self, obj):
        return partner_user(obj.partner)


class TestSupplierBillAPI(TestCustomerInvoiceAPI):
    """Supplier bills through the same endpoint."""

    limit_checks = (
        ("lines.0.unit_price", "1000000000", "1000000000.000001"),
        ("lines.0.unit_price", "0", "-0.000001"),
        ("lines.0.quantity", "0.000001", "0"),
        ("date", date_window_edge(outside=False), date_window_edge(outside=True)),
    )

    def make_object(self, partner=None):
        if partner is not None:
            Partner.objects.filter(pk=partner.pk).update(kind=Partner.Kind.SUPPLIER)
            partner.refresh_from_db()
        return supplier_bill(partner, billed_price="5.20", post=True)

    def make_draft(self):
        return supplier_bill(billed_price="5.20")

    def valid_create_payload(self):
        partner = supplier()
        receipt = received_receipt(partner, [(item(), "10", "5.00")])
        return {
            "kind": "supplier_bill",
            "partner": partner.pk,
            "date": DAY,
            "supplier_invoice_number": "04400123",
            "lines": [{"receipt_line": receipt.lines.get().pk, "unit_price": "5.20"}],
        }


@pytest.mark.usefixtures("books")
class TestCreditNoteFlow(DocumentFlowTests):
    """A customer credit note (红字) goes through the same flow as the invoice it credits."""

    list_url = INVOICES
    model = Invoice

    def make_draft(self):
        return services.credit_note_create(
            invoice=customer_invoice(post=True), date=TODAY, actor=None
        )

    def flow_user(self):
        return staff_user("Finance")


@pytest.mark.usefixtures("books")
class TestPaymentAPI(DocumentFlowTests, APIResourceTests):
    """Payments through the shared checks and the status flow."""

    list_url = PAYMENTS
    model = Payment
    max_queries = 12

    limit_checks = (("amount", "1000000000000", "1000000000000.01"),)

    def make_object(self, partner=None):
        return payment(partner or customer(), "100", post=True)

    def make_draft(self):
        return payment(customer(), "100")

    def make_downstream(self, document):
        invoice = customer_invoice(document.partner, post=True)
        services.payment_allocate(
            payment=document, allocations=[{"invoice": invoice, "amount": D("100")}], actor=None
        )
        return True

    def valid_create_payload(self):
        invoice = customer_invoice(post=True)
        return {
            "direction": "received",
            "partner": invoice.partner_id,
            "date": DAY,
            "amount": "2000.00",
            "reference": "BANK-1",
            "allocations": [{"invoice": invoice.pk, "amount": "500.00"}],
        }

    def invalid_create_payload(self):
        return {"direction": "received", "partner": customer().pk, "date": DAY, "amount": "0"}

    def allowed_user(self):
        return staff_user("Finance")

    def wrong_role_user(self):
        return staff_user("Sales")

    def partner_user_for(self, obj):
        return partner_user(obj.partner)


def _journal_count() -> int:
    return JournalEntry.objects.count()


def test_posting_answers_the_entry_and_the_amount_in_words(books):
    client = api_client(staff_user("Finance"))
    invoice = customer_invoice()
    response = client.post(f"{INVOICES}{invoice.pk}/approve/", {"revision": 1}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["journal_entry_number"].startswith("SAL-")
    assert body["gross_in_words"] == "壹仟壹佰叁拾元整"
    assert body["buyer_name"]


def test_a_refused_step_posts_no_journal_entry(books):
    client = api_client(staff_user("Finance"))
    posted = customer_invoice(post=True)
    entries = _journal_count()
    url = f"{INVOICES}{posted.pk}/"
    assert_error_body(client.post(f"{url}approve/", {}, format="json"), 409, "invalid_status")
    assert_error_body(client.post(f"{url}void/", {"reason": "x"}, format="json"), 409)
    assert _journal_count() == entries


def test_patch_with_lines_replaces_them_and_the_totals_follow(books):
    client = api_client(staff_user("Finance"))
    invoice = customer_invoice(quantity="10")
    line = invoice.lines.get()
    url = f"{INVOICES}{invoice.pk}/"
    response = client.patch(
        url,
        {"revision": 1, "lines": [{"delivery_line": line.delivery_line_id, "quantity": "3"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["gross_amount"] == "339.00"


def test_over_invoicing_through_the_api_is_400(books):
    partner = customer()
    delivery = shipped_delivery(partner, [(item(), "5", "20")])
    response = api_client(staff_user("Finance")).post(
        INVOICES,
        {
            "kind": "customer_invoice",
            "partner": partner.pk,
            "date": DAY,
            "lines": [{"delivery_line": delivery.lines.get().pk, "quantity": "6"}],
        },
        format="json",
    )
    assert_error_body(response, 400, "invalid")
    assert not Invoice.objects.exists()


def test_a_credit_note_is_created_through_the_api(books):
    invoice = customer_invoice(post=True)
    client = api_client(staff_user("Finance"))
    response = client.post(
        INVOICES,
        {"kind": "customer_credit_note", "credit_note_of": invoice.pk, "date": DAY},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("CN-") and body["gross_amount"] == "1130.00"
    wrong = client.post(
        INVOICES,
        {"kind": "supplier_credit_note", "credit_note_of": invoice.pk, "date": DAY},
        format="json",
    )
    assert_error_body(wrong, 400)


def test_the_same_idempotency_key_creates_one_invoice(books):
    client = api_client(staff_user("Finance"))
    partner = customer()
    delivery = shipped_delivery(partner, [(item(), "5", "20")])
    body = {
        "kind": "customer_invoice",
        "partner": partner.pk,
        "date": DAY,
        "lines": [{"delivery_line": delivery.lines.get().pk, "quantity": "2"}],
    }
    first = client.post(INVOICES, body, format="json", headers={"Idempotency-Key": "inv-1"})
    again = client.post(INVOICES, body, format="json", headers={"Idempotency-Key": "inv-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Invoice.objects.count() == 1
    other = dict(body, lines=[{"delivery_line": delivery.lines.get().pk, "quantity": "3"}])
    reused = client.post(INVOICES, other, format="json", headers={"Idempotency-Key": "inv-1"})
    assert_error_body(reused, 422, "idempotency_key_reused")
    assert Invoice.objects.count() == 1


def test_the_same_idempotency_key_creates_one_payment(books):
    client = api_client(staff_user("Finance"))
    partner = customer()
    body = {"direction": "received", "partner": partner.pk, "date": DAY, "amount": "10.00"}
    first = client.post(PAYMENTS, body, format="json", headers={"Idempotency-Key": "pay-1"})
    again = client.post(PAYMENTS, body, format="json", headers={"Idempotency-Key": "pay-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Payment.objects.count() == 1
    other = dict(body, amount="11.00")
    reused = client.post(PAYMENTS, other, format="json", headers={"Idempotency-Key": "pay-1"})
    assert_error_body(reused, 422, "idempotency_key_reused")
    assert Payment.objects.count() == 1


def test_payment_allocate_and_unallocate_actions(books):
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    received = payment(partner, "2000", post=True)
    client = api_client(staff_user("Finance"))
    url = f"{PAYMENTS}{received.pk}/"
    response = client.post(
        f"{url}allocate/",
        {"allocations": [{"invoice": invoice.pk, "amount": "1000.00"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["unapplied_amount"] == "1000.00"
    too_much = client.post(
        f"{url}allocate/",
        {"allocations": [{"invoice": invoice.pk, "amount": "200.00"}]},
        format="json",
    )
    assert_error_body(too_much, 400)
    assert_error_body(client.post(f"{url}unapprove/", {}, format="json"), 409, "has_downstream")
    response = client.post(f"{url}unallocate/", {"invoice": invoice.pk}, format="json")
    assert response.json()["amount_allocated"] == "0.00"
    invoice.refresh_from_db()
    assert invoice.open_amount == D("1130.00")
    assert_error_body(client.post(f"{url}unallocate/", {"invoice": invoice.pk}, format="json"), 400)


def test_sales_may_read_invoices_but_not_change_them(books):
    invoice = customer_invoice(post=True)
    client = api_client(staff_user("Sales"))
    assert client.get(INVOICES).status_code == 200
    assert client.get(f"{INVOICES}{invoice.pk}/").status_code == 200
    assert_error_body(client.post(f"{INVOICES}{invoice.pk}/unapprove/", {}, format="json"), 403)
    assert_error_body(client.get(PAYMENTS), 403)
    assert_error_body(client.get(AGING, {"kind": "receivable"}), 403)
    assert Invoice.objects.get(pk=invoice.pk).status == "approved"


def test_partner_users_see_only_their_own_posted_documents(books):
    mine = customer()
    invoice = customer_invoice(mine, post=True)
    draft = customer_invoice(mine)
    theirs = customer_invoice(post=True)
    bill = supplier_bill(billed_price="5.20", post=True)
    my_payment = payment(mine, "10", post=True)
    their_payment = payment(theirs.partner, "10", post=True)
    client = api_client(partner_user(mine))
    listed = {row["id"] for row in client.get(INVOICES).json()["results"]}
    assert listed == {invoice.pk}
    for other in (draft, theirs, bill):
        assert_error_body(client.get(f"{INVOICES}{other.pk}/"), 404, "not_found")
        assert_error_body(client.get(f"{INVOICES}{other.pk}/pdf/"), 404, "not_found")
    pdf = client.get(f"{INVOICES}{invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert {row["id"] for row in client.get(PAYMENTS).json()["results"]} == {my_payment.pk}
    assert_error_body(client.get(f"{PAYMENTS}{their_payment.pk}/"), 404, "not_found")
    assert client.get(f"{PAYMENTS}{my_payment.pk}/").status_code == 200
    # Partners read; they never write or run actions.
    assert_error_body(client.post(INVOICES, {}, format="json"), 403)
    assert_error_body(client.post(f"{INVOICES}{invoice.pk}/unapprove/", {}, format="json"), 403)
    assert_error_body(client.post(f"{PAYMENTS}{my_payment.pk}/void/", {}, format="json"), 403)
    assert_error_body(client.get(AGING, {"kind": "receivable"}), 403)


def test_a_supplier_user_sees_its_bills_not_invoices(books):
    bill = supplier_bill(billed_price="5.20", post=True)
    invoice = customer_invoice(post=True)
    made = payment(bill.partner, "5", direction="made", post=True)
    client = api_client(partner_user(bill.partner))
    assert {row["id"] for row in client.get(INVOICES).json()["results"]} == {bill.pk}
    assert_error_body(client.get(f"{INVOICES}{invoice.pk}/"), 404)
    assert {row["id"] for row in client.get(PAYMENTS).json()["results"]} == {made.pk}


def test_aging_endpoint(books):
    invoice = customer_invoice(post=True)
    client = api_client(staff_user("Finance"))
    response = client.get(AGING, {"kind": "receivable", "as_of": DAY})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "receivable"
    assert body["rows"][0]["partner_id"] == invoice.partner_id
    assert body["rows"][0]["current"] == "1130.00"
    assert body["totals"]["total"] == "1130.00"
    assert_error_body(client.get(AGING, {"kind": "sideways"}), 400, "invalid")
    assert_error_body(client.get(AGING), 400, "invalid")


def test_statement_endpoint_and_its_partner_scoping(books):
    mine = customer()
    customer_invoice(mine, post=True)
    other = customer()
    query = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    staff = api_client(staff_user("Finance"))
    response = staff.get(STATEMENTS, {**query, "partner": mine.pk})
    assert response.status_code == 200, response.content
    assert response.json()["closing"] == "1130.00"
    assert_error_body(staff.get(STATEMENTS, query), 400)
    assert_error_body(
        staff.get(STATEMENTS, {**query, "partner": mine.pk, "date_to": "2026-02-01"}), 400
    )
    client = api_client(partner_user(mine))
    own = client.get(STATEMENTS, query)
    assert own.status_code == 200 and own.json()["partner"] == mine.pk
    # Another partner's id answers exactly as an id that does not exist: nothing to probe.
    theirs = client.get(STATEMENTS, {**query, "partner": other.pk})
    unknown = client.get(STATEMENTS, {**query, "partner": other.pk + 10_000})
    assert_error_body(theirs, 400, "invalid")
    assert theirs.json()["errors"]["partner"] == [
        message.replace(str(other.pk + 10_000), str(other.pk))
        for message in unknown.json()["errors"]["partner"]
    ]
    assert_error_body(client.get(STATEMENTS, {**query, "kind": "payable"}), 404)
