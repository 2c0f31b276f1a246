"""The lines of the purchase order and requisition forms grow and shrink in the browser: the
pages carry the lines script's table, and rows removed there arrive renumbered."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.testing import staff_user
from erp_core.purchasing.models import PurchaseOrder, PurchaseRequisition

pytestmark = pytest.mark.django_db


def _lines(total: int, rows: list[dict]) -> dict:
    data = {
        "lines-TOTAL_FORMS": str(total),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for n, row in enumerate(rows):
        data.update({f"lines-{n}-{name}": value for name, value in row.items()})
    return data


def test_the_order_and_requisition_forms_carry_the_lines_table(client):
    client.force_login(staff_user("Planner"))
    order = client.get(reverse("purchasing:order-create")).content.decode()
    assert "data-line-formset" in order and "data-amounts" in order
    assert "lines-__prefix__-item" in order and "data-on-hand-url" in order
    requisition = client.get(reverse("purchasing:requisition-create")).content.decode()
    assert "data-line-formset" in requisition and "data-amounts" not in requisition


def test_an_order_saves_the_rows_left_after_one_was_removed(client, supplier, warehouse, item):
    client.force_login(staff_user("Planner"))
    data = {
        "supplier": supplier.pk,
        "date": str(timezone.localdate()),
        "warehouse": warehouse.pk,
        "over_receipt_tolerance": "0",
        "under_receipt_tolerance": "0",
        **_lines(
            2,
            [
                {"item": item.pk, "quantity": "10", "unit_price": "9.5"},
                {"item": item.pk, "quantity": "30", "unit_price": "9"},
            ],
        ),
        "lines-2-item": item.pk,  # the removed row's leftovers, past TOTAL_FORMS
        "lines-2-quantity": "77",
    }
    response = client.post(reverse("purchasing:order-create"), data)
    assert response.status_code == 302
    order = PurchaseOrder.objects.get()
    assert sorted(line.quantity for line in order.lines.all()) == [Decimal("10"), Decimal("30")]


def test_a_requisition_saves_the_rows_left_after_one_was_removed(client, item):
    client.force_login(staff_user("Planner"))
    data = {
        "date": str(timezone.localdate()),
        **_lines(1, [{"item": item.pk, "quantity": "5"}]),
        "lines-1-item": item.pk,
        "lines-1-quantity": "6",
    }
    response = client.post(reverse("purchasing:requisition-create"), data)
    assert response.status_code == 302
    assert [line.quantity for line in PurchaseRequisition.objects.get().lines.all()] == [
        Decimal("5")
    ]
