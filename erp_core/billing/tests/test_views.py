"""The billing staff pages: lists (filters, Excel, query budgets), detail, forms, PDF, roles."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.testing import staff_user
from erp_core.billing import services
from erp_core.billing.models import Invoice, Payment
from erp_core.billing.printing import invoice_print_context
from erp_core.billing.tests.factories import (
    customer,
    customer_invoice,
    item,
    payment,
    received_receipt,
    shipped_delivery,
    supplier,
    supplier_bill,
)
from erp_core.documents.printing import XLSX_CONTENT_TYPE
from erp_core.testing.books import seed_books

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(client, db):
    seed_books()
    client.force_login(staff_user("Finance"))
    return client


def test_invoice_list_filters_exports_and_stays_within_a_query_budget(
    finance, django_assert_max_num_queries
):
    invoices = [customer_invoice(post=True) for _ in range(3)]
    draft = customer_invoice()
    with django_assert_max_num_queries(15):
        response = finance.get(reverse("billing:invoice-list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(invoice.number in page for invoice in [*invoices, draft])
    posted_only = finance.get(reverse("billing:invoice-list"), {"status": "approved"})
    assert draft.number not in posted_only.content.decode()
    found = finance.get(reverse("billing:invoice-list"), {"q": invoices[1].number})
    assert invoices[0].number not in found.content.decode()
    partial = finance.get(reverse("billing:invoice-list"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    export = finance.get(reverse("billing:invoice-export"), {"status": "approved"})
    assert export["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.max_row == 4 and sheet["J2"].value == 1130.0


def test_bill_list_and_payment_list_pages(finance, django_assert_max_num_queries):
    bill = supplier_bill(billed_price="5.20", post=True)
    received = payment(customer(), "10", post=True)
    with django_assert_max_num_queries(15):
        bills = finance.get(reverse("billing:bill-list"))
    assert bill.number in bills.content.decode()
    assert "Price variance" in bills.content.decode()
    with django_assert_max_num_queries(15):
        payments = finance.get(reverse("billing:payment-list"))
    assert received.number in payments.content.decode()
    for name in ("billing:bill-export", "billing:payment-export"):
        assert finance.get(reverse(name))["Content-Type"] == XLSX_CONTENT_TYPE


def test_invoice_detail_shows_vat_fields_and_the_total_in_words(finance):
    invoice = customer_invoice(post=True)
    response = finance.get(reverse("billing:invoice-detail", args=[invoice.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "壹仟壹佰叁拾元整" in page
    assert "上海客户有限公司" in page and invoice.journal_entry.number in page


def test_bill_detail_shows_the_three_way_match(finance):
    bill = supplier_bill(billed_price="5.20")
    page = finance.get(reverse("billing:bill-detail", args=[bill.pk])).content.decode()
    assert 'data-testid="match"' in page and "2.00" in page


def test_invoice_pdf_is_a_pdf_and_its_html_has_every_vat_field(finance):
    invoice = customer_invoice(post=True)
    response = finance.get(reverse("billing:invoice-pdf", args=[invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = render_to_string("billing/invoice_print.html", invoice_print_context(invoice))
    for text in ("购买方", "销售方", "项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率",
                 "税额", "价税合计", "壹仟壹佰叁拾元整", invoice.buyer_tax_id):  # fmt: skip
        assert text in html


def test_create_an_invoice_from_deliveries(finance):
    partner = customer()
    delivery = shipped_delivery(partner, [(item(), "5", "20"), (item(), "2", "10")])
    first, second = delivery.lines.order_by("line_no")
    url = reverse("billing:invoice-create")
    assert finance.get(url).status_code == 200
    page = finance.get(url, {"partner": partner.pk})
    assert delivery.number in page.content.decode()
    response = finance.post(
        f"{url}?partner={partner.pk}",
        {"date": "2026-03-15", f"qty_{first.pk}": "3", f"qty_{second.pk}": "0"},
    )
    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:invoice-detail", args=[invoice.pk])
    assert [(line.delivery_line_id, line.quantity) for line in invoice.lines.all()] == [
        (first.pk, D("3"))
    ]
    too_many = finance.post(
        f"{url}?partner={partner.pk}", {"date": "2026-03-15", f"qty_{first.pk}": "9"}
    )
    assert too_many.status_code == 200 and "not yet invoiced" in too_many.content.decode()
    assert Invoice.objects.count() == 1


def test_create_a_bill_from_receipts_with_the_suppliers_price(finance):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "5.00")])
    line = receipt.lines.get()
    url = reverse("billing:bill-create")
    response = finance.post(
        f"{url}?partner={partner.pk}",
        {
            "date": "2026-03-15",
            "supplier_invoice_number": "04401",
            f"qty_{line.pk}": "10",
            f"price_{line.pk}": "5.20",
        },
    )
    assert response.status_code == 302
    bill = Invoice.objects.get()
    assert bill.match_status == Invoice.MatchStatus.PRICE_VARIANCE
    assert bill.lines.get().variance_amount == D("2.00")


def test_edit_approve_unapprove_and_void_pages(finance):
    invoice = customer_invoice(quantity="10")
    line = invoice.lines.get()
    edit = reverse("billing:invoice-edit", args=[invoice.pk])
    assert finance.get(edit).status_code == 200
    response = finance.post(
        edit,
        {"revision": "1", "date": "2026-03-15", "due_date": "2026-04-30", f"qty_{line.pk}": "4"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.gross_amount, invoice.due_date) == (D("452.00"), dt.date(2026, 4, 30))
    finance.post(reverse("billing:invoice-approve", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.status == "approved"
    # A refused step is a message, not an error page.
    response = finance.post(reverse("billing:invoice-void", args=[invoice.pk]), {"reason": "x"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "approved"
    finance.post(reverse("billing:invoice-unapprove", args=[invoice.pk]))
    finance.post(reverse("billing:invoice-void", args=[invoice.pk]), {"reason": "typo"})
    invoice.refresh_from_db()
    assert invoice.status == "voided"


def test_steps_without_a_reason_or_from_a_stale_page_change_nothing(finance):
    invoice = customer_invoice(quantity="1")
    cash = payment(customer(), "10")
    for name, document in (("billing:invoice-void", invoice), ("billing:payment-void", cash)):
        response = finance.post(reverse(name, args=[document.pk]), {"reason": ""}, follow=True)
        assert "Say why the" in response.text
        document.refresh_from_db()
        assert document.status == "draft"
    stale = finance.post(
        reverse("billing:invoice-approve", args=[invoice.pk]),
        {"revision": str(invoice.revision + 5)},
        follow=True,
    )
    assert stale.status_code == 200
    invoice.refresh_from_db()
    assert invoice.status == "draft"


def test_credit_note_page(finance):
    invoice = customer_invoice(quantity="10", post=True)
    line = invoice.lines.get()
    url = reverse("billing:credit-note-create", args=[invoice.pk])
    assert finance.get(url).status_code == 200
    response = finance.post(url, {"date": "2026-03-20", f"qty_{line.pk}": "2"})
    assert response.status_code == 302
    note = Invoice.objects.get(kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE)
    assert note.gross_amount == D("226.00")


def test_payment_pages_create_allocate_and_post(finance):
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    url = reverse("billing:payment-create")
    assert finance.get(url).status_code == 200
    chosen = finance.get(url, {"direction": "received", "partner": partner.pk})
    assert invoice.number in chosen.content.decode()
    response = finance.post(
        f"{url}?direction=received&partner={partner.pk}",
        {
            "date": "2026-03-16",
            "amount": "1500.00",
            "bank_account": chosen.context["form"].fields["bank_account"].initial,
            f"alloc_{invoice.pk}": "1000.00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    received = Payment.objects.get()
    detail = finance.get(reverse("billing:payment-detail", args=[received.pk]))
    assert detail.status_code == 200 and invoice.number in detail.content.decode()
    finance.post(reverse("billing:payment-approve", args=[received.pk]))
    received.refresh_from_db()
    assert received.status == "approved" and received.unapplied_amount == D("500.00")
    finance.post(
        reverse("billing:payment-allocate", args=[received.pk]), {f"alloc_{invoice.pk}": "130"}
    )
    invoice.refresh_from_db()
    assert invoice.open_amount == 0
    pdf = finance.get(reverse("billing:payment-pdf", args=[received.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    allocation = received.allocations.get()
    finance.post(reverse("billing:payment-unallocate", args=[received.pk, allocation.pk]))
    invoice.refresh_from_db()
    assert invoice.open_amount == invoice.gross_amount


def test_aging_and_statement_pages_with_their_downloads(finance):
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    services.payment_approve(payment=payment(partner, "100"), actor=None)
    for name in ("billing:ar-aging", "billing:ap-aging"):
        assert finance.get(reverse(name), {"as_of": "2026-03-31"}).status_code == 200
    aging = finance.get(reverse("billing:ar-aging"), {"as_of": "2026-03-31"})
    assert partner.name in aging.content.decode()
    export = finance.get(reverse("billing:ar-aging-export"), {"as_of": "2026-03-31"})
    assert export["Content-Type"] == XLSX_CONTENT_TYPE
    query = {"partner": partner.pk, "date_from": "2026-03-01", "date_to": "2026-03-31"}
    statement = finance.get(reverse("billing:statement"), query)
    assert statement.status_code == 200
    assert invoice.number in statement.content.decode()
    assert statement.context["report"].closing == D("1030.00")
    pdf = finance.get(reverse("billing:statement-pdf"), query)
    assert pdf["Content-Type"] == "application/pdf"
    xlsx = finance.get(reverse("billing:statement-export"), query)
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet.cell(row=sheet.max_row, column=8).value == 1030.0

    # The aging's link names only the partner: this month's statement, without errors.
    linked = finance.get(reverse("billing:statement"), {"partner": partner.pk})
    assert linked.status_code == 200
    assert linked.context["form"].errors == {}
    assert linked.context["report"].date_to == timezone.localdate()


def test_sales_see_invoices_but_not_bills_payments_or_reports(client, db):
    seed_books()
    invoice = customer_invoice(post=True)
    bill = supplier_bill(post=True)
    client.force_login(staff_user("Sales"))
    assert client.get(reverse("billing:invoice-list")).status_code == 200
    assert client.get(reverse("billing:invoice-detail", args=[invoice.pk])).status_code == 200
    assert client.get(reverse("billing:invoice-pdf", args=[invoice.pk])).status_code == 200
    for url in (
        reverse("billing:bill-list"),
        reverse("billing:invoice-detail", args=[bill.pk]),
        reverse("billing:payment-list"),
        reverse("billing:ar-aging"),
        reverse("billing:statement"),
        reverse("billing:invoice-create"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("billing:invoice-unapprove", args=[invoice.pk])).status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == "approved"


def test_pages_need_a_role(client, db):
    client.force_login(staff_user("Warehouse"))
    for name in ("billing:invoice-list", "billing:payment-list", "billing:ap-aging"):
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse("billing:invoice-list")).status_code == 302


def test_admin_lists_and_shows_documents_with_history(client, db):
    seed_books()
    invoice = customer_invoice(post=True)
    received = payment(invoice.partner, "100", allocations=[(invoice, "100")], post=True)
    client.force_login(staff_user("Admin", is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:billing_invoice_changelist"),
        reverse("admin:billing_invoice_change", args=[invoice.pk]),
        reverse("admin:billing_invoice_history", args=[invoice.pk]),
        reverse("admin:billing_invoiceline_changelist"),
        reverse("admin:billing_payment_changelist"),
        reverse("admin:billing_payment_change", args=[received.pk]),
        reverse("admin:billing_paymentallocation_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    found = client.get(reverse("admin:billing_invoice_changelist"), {"q": invoice.number})
    assert invoice.number in found.content.decode()


def test_invoice_from_deliveries_inputs_are_styled_and_plain_and_say_invoice(finance):
    partner = customer()
    first = shipped_delivery(partner, [(item(), "10", "20")])
    second = shipped_delivery(partner, [(item(), "100", "5")])
    url = reverse("billing:invoice-create")
    response = finance.get(url, {"partner": partner.pk})
    page = response.content.decode()
    assert "Quantity to invoice" in page and "Quantity to bill" not in page
    form = response.context["form"]
    first_field = form[f"qty_{first.lines.get().pk}"]
    assert first_field.value() == "10" and form[f"qty_{second.lines.get().pk}"].value() == "100"
    assert 'value="10.000000"' not in page and "1E+2" not in page
    html = str(first_field)
    assert 'class="form-control form-control-sm text-end"' in html and "min-width" in html
    # "Invoice this delivery" fills in that delivery's quantities only.
    chosen = finance.get(url, {"partner": partner.pk, "delivery": first.pk}).context["form"]
    assert chosen[f"qty_{first.lines.get().pk}"].value() == "10"
    assert chosen[f"qty_{second.lines.get().pk}"].value() is None


def test_bill_from_receipts_keeps_saying_bill_with_a_plain_price(finance):
    partner = supplier()
    receipt = received_receipt(partner, [(item(), "10", "5.00")])
    line = receipt.lines.get()
    response = finance.get(reverse("billing:bill-create"), {"partner": partner.pk})
    assert "Quantity to bill" in response.content.decode()
    form = response.context["form"]
    assert (form[f"qty_{line.pk}"].value(), form[f"price_{line.pk}"].value()) == ("10", "5")
    assert "text-end" in str(form[f"price_{line.pk}"])


def test_vat_labels_are_not_doubled_in_chinese(finance):
    invoice = customer_invoice(post=True)
    url = reverse("billing:invoice-detail", args=[invoice.pk])
    english = finance.get(url).content.decode()
    for chinese, label in (("购买方", "Buyer"), ("纳税人识别号", "Tax id"), ("价税合计", "Total")):
        assert chinese in english and label in english
    finance.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = finance.get(url).content.decode()
    # Once per heading (twice for the parties' fields: buyer and seller), never "购买方 购买方".
    once, twice = ("购买方", "销售方", "价税合计"), ("名称", "纳税人识别号", "开户行及账号")
    assert [chinese.count(label) for label in once + twice] == [1, 1, 1, 2, 2, 2]


def test_payment_heading_and_allocation_inputs(finance):
    partner = customer()
    invoice = customer_invoice(partner, post=True)
    received = payment(partner, "500", post=True)
    response = finance.get(reverse("billing:payment-detail", args=[received.pk]))
    page = response.content.decode()
    assert f'Payment received <span class="zt-monospace">{received.number}' in page
    assert "Payment Received" not in page
    field = str(response.context["allocate_form"][f"alloc_{invoice.pk}"])
    assert 'class="form-control form-control-sm text-end"' in field
