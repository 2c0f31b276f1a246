"""Staff pages of purchasing: lists, details, forms, actions, exports and PDFs; 403 without
the role's permissions."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.testing import staff_user
from erp_core.documents.printing import XLSX_CONTENT_TYPE
from erp_core.purchasing import services
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseRequisition
from erp_core.purchasing.tests.helpers import booked_receipt, draft_order, placed_order
from erp_core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    """A client signed in as a superuser with staff status (the admin site)."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def documents(books, supplier, warehouse, item):
    """A requisition, a placed order with a booked receipt, and a draft order."""
    requisition = services.purchase_requisition_create(
        date=timezone.localdate(), lines=[{"item": item, "quantity": Decimal("7")}]
    )
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    receipt = booked_receipt(order=order, quantity="4")
    draft = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    return {"requisition": requisition, "order": order, "receipt": receipt, "draft": draft}


def _pages(documents) -> list[str]:
    requisition, order = documents["requisition"], documents["order"]
    receipt, draft = documents["receipt"], documents["draft"]
    return [
        reverse("purchasing:requisition-list"),
        reverse("purchasing:requisition-create"),
        reverse("purchasing:requisition-detail", args=[requisition.pk]),
        reverse("purchasing:requisition-edit", args=[requisition.pk]),
        reverse("purchasing:order-list"),
        reverse("purchasing:order-list") + f"?status=approved&supplier={order.supplier_id}",
        reverse("purchasing:order-create"),
        reverse("purchasing:order-detail", args=[order.pk]),
        reverse("purchasing:order-detail", args=[draft.pk]),
        reverse("purchasing:order-edit", args=[draft.pk]),
        reverse("purchasing:receipt-create", args=[order.pk]),
        reverse("purchasing:receipt-list"),
        reverse("purchasing:receipt-detail", args=[receipt.pk]),
    ]


def test_every_page_opens_for_the_admin_role(client, documents):
    client.force_login(staff_user("Admin"))
    for url in _pages(documents):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_pages_are_refused_without_purchasing_permissions(client, documents):
    client.force_login(staff_user("Sales"))
    for url in _pages(documents):
        assert client.get(url).status_code == 403, url


def test_pages_need_a_login(client, documents):
    response = client.get(reverse("purchasing:order-list"))
    assert response.status_code == 302


def test_the_order_list_filters_and_lists_without_a_query_per_row(
    client, documents, supplier, warehouse, item, django_assert_max_num_queries
):
    for _ in range(15):
        draft_order(supplier=supplier, warehouse=warehouse, item=item)
    client.force_login(staff_user("Finance"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("purchasing:order-list"))
    assert response.status_code == 200
    assert documents["order"].number in response.content.decode()
    filtered = client.get(reverse("purchasing:order-list"), {"status": "approved"})
    assert documents["order"].number in filtered.content.decode()
    assert documents["draft"].number not in filtered.content.decode()
    partial = client.get(reverse("purchasing:order-list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content


@pytest.mark.parametrize("name", ["order-export", "receipt-export", "requisition-export"])
def test_lists_export_to_excel(client, documents, name):
    client.force_login(staff_user("Finance"))
    response = client.get(reverse(f"purchasing:{name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response.content[:2] == b"PK"


def test_the_order_prints_as_a_pdf(client, documents):
    client.force_login(staff_user("Planner"))
    response = client.get(reverse("purchasing:order-print", args=[documents["order"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_receipt_prints_as_a_pdf(client, documents):
    client.force_login(staff_user("Warehouse"))
    response = client.get(reverse("purchasing:receipt-print", args=[documents["receipt"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_print_context_has_the_total_in_words(client, documents):
    client.force_login(staff_user("Planner"))
    order = documents["order"]
    response = client.get(reverse("purchasing:order-print", args=[order.pk]))
    # 10 × 12.50 + 13 % VAT = 141.25
    assert response.context["totals"].gross == Decimal("141.25")
    assert response.context["in_words"] == "壹佰肆拾壹元贰角伍分"


def test_an_order_is_created_from_the_form(client, supplier, warehouse, item):
    client.force_login(staff_user("Planner"))
    data = {
        "supplier": supplier.pk,
        "date": str(timezone.localdate()),
        "warehouse": warehouse.pk,
        "over_receipt_tolerance": "0",
        "under_receipt_tolerance": "0",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-item": item.pk,
        "lines-0-quantity": "10",
        "lines-0-unit_price": "9.5",
    }
    response = client.post(reverse("purchasing:order-create"), data)
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("purchasing:order-detail", args=[order.pk])
    assert order.lines.get().unit_price == Decimal("9.5")


def test_a_refused_order_form_shows_the_reason_and_saves_nothing(client, supplier, warehouse, item):
    client.force_login(staff_user("Planner"))
    data = {
        "supplier": supplier.pk,
        "date": str(timezone.localdate()),
        "warehouse": warehouse.pk,
        "over_receipt_tolerance": "0",
        "under_receipt_tolerance": "0",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-item": item.pk,
        "lines-0-quantity": "2",
    }
    response = client.post(reverse("purchasing:order-create"), data)
    assert response.status_code == 200
    assert "minimum order quantity" in response.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_status_buttons_run_the_services(client, supplier, warehouse, item):
    client.force_login(staff_user("Planner"))
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    url = reverse("purchasing:order-action", args=[order.pk, "approve"])
    response = client.post(url, {"revision": order.revision})
    assert response.status_code == 302
    assert PurchaseOrder.objects.get(pk=order.pk).status == "approved"
    # A refused step is a message, not an error page.
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "cannot be placed" in response.content.decode()
    ack = reverse("purchasing:order-action", args=[order.pk, "acknowledge"])
    client.post(ack, {"supplier_reference": "SUP-1"})
    assert PurchaseOrder.objects.get(pk=order.pk).supplier_reference == "SUP-1"
    assert client.post(reverse("purchasing:order-action", args=[order.pk, "fly"])).status_code == (
        404
    )


def test_a_status_button_needs_its_permission(client, supplier, warehouse, item):
    client.force_login(staff_user("Finance"))
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    response = client.post(reverse("purchasing:order-action", args=[order.pk, "approve"]))
    assert response.status_code == 403
    assert PurchaseOrder.objects.get(pk=order.pk).status == "draft"


def test_goods_are_received_and_booked_from_the_pages(client, books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    line = order.lines.get()
    client.force_login(staff_user("Warehouse"))
    data = {
        "date": str(timezone.localdate()),
        "warehouse": warehouse.pk,
        "delivery_note": "DN-5",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-order_line": line.pk,
        "lines-0-quantity": "10",
    }
    response = client.post(reverse("purchasing:receipt-create", args=[order.pk]), data)
    receipt = PurchaseReceipt.objects.get()
    assert response.status_code == 302
    client.post(reverse("purchasing:receipt-action", args=[receipt.pk, "approve"]))
    assert PurchaseReceipt.objects.get(pk=receipt.pk).status == "approved"
    assert PurchaseOrder.objects.get(pk=order.pk).status == "received"


def test_an_order_is_made_from_a_requisition_page(client, supplier, warehouse, item):
    requisition = services.purchase_requisition_approve(
        requisition=services.purchase_requisition_create(
            date=timezone.localdate(), lines=[{"item": item, "quantity": Decimal("12")}]
        ),
        actor=None,
    )
    client.force_login(staff_user("Planner"))
    url = reverse("purchasing:requisition-order", args=[requisition.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"supplier": supplier.pk, "warehouse": warehouse.pk, "date": str(timezone.localdate())},
    )
    order = PurchaseOrder.objects.get()
    assert response["Location"] == reverse("purchasing:order-detail", args=[order.pk])
    assert order.lines.get().quantity == Decimal("15")  # 12 → a multiple of 5
    assert PurchaseRequisition.objects.get(pk=requisition.pk).status == "ordered"


def test_a_requisition_is_created_and_edited_from_the_form(client, item):
    client.force_login(staff_user("Planner"))
    management = {
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    client.post(
        reverse("purchasing:requisition-create"),
        {
            "date": str(timezone.localdate()),
            **management,
            "lines-0-item": item.pk,
            "lines-0-quantity": "3",
        },
    )
    requisition = PurchaseRequisition.objects.get()
    client.post(
        reverse("purchasing:requisition-edit", args=[requisition.pk]),
        {
            "date": str(timezone.localdate()),
            "memo": "edited",
            "revision": requisition.revision,
            **management,
            "lines-0-item": item.pk,
            "lines-0-quantity": "4",
        },
    )
    requisition.refresh_from_db()
    assert requisition.memo == "edited"
    assert requisition.lines.get().quantity == Decimal("4")


def test_warehouse_staff_open_order_and_receipt_pages_but_not_requisitions(client, documents):
    client.force_login(staff_user("Warehouse"))
    assert client.get(reverse("purchasing:order-list")).status_code == 200
    assert client.get(reverse("purchasing:receipt-list")).status_code == 200
    assert client.get(reverse("purchasing:requisition-list")).status_code == 403
    order = documents["order"]
    assert client.get(reverse("purchasing:receipt-create", args=[order.pk])).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "purchaserequisition",
        "purchaseorder",
        "purchasereceipt",
        "purchaserequisitionline",
        "purchaseorderline",
        "purchasereceiptline",
    ],
)
def test_admin_lists_searches_and_shows_history(superuser_client, documents, model):
    admin_client = superuser_client
    changelist = reverse(f"admin:purchasing_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "2026"}).status_code == 200
    if not model.endswith("line"):
        pk = {
            "purchaserequisition": documents["requisition"].pk,
            "purchaseorder": documents["order"].pk,
            "purchasereceipt": documents["receipt"].pk,
        }[model]
        assert (
            admin_client.get(reverse(f"admin:purchasing_{model}_change", args=[pk])).status_code
            == 200
        )
        history = reverse(f"admin:purchasing_{model}_history", args=[pk])
        assert admin_client.get(history).status_code == 200


def test_admin_action_places_orders_through_the_service(
    superuser_client, supplier, warehouse, item
):
    admin_client = superuser_client
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    response = admin_client.post(
        reverse("admin:purchasing_purchaseorder_changelist"),
        {"action": "place_selected", "_selected_action": [order.pk]},
    )
    assert response.status_code == 302
    assert PurchaseOrder.objects.get(pk=order.pk).status == "approved"
