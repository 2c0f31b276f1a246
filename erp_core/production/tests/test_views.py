"""Staff pages of production orders: list, export, detail, forms, actions, the PDF."""

from datetime import timedelta
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.testing import staff_user
from erp_core.production import services
from erp_core.production.models import ProductionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client(client):
    client.force_login(staff_user("Planner"))
    return client


def test_pages_render_for_a_planner(planner_client, plant):
    order = plant.released()
    for url in (
        reverse("production:order-list"),
        reverse("production:order-create"),
        reverse("production:order-detail", args=[order.pk]),
    ):
        response = planner_client.get(url)
        assert response.status_code == 200, url
    draft = plant.order()
    assert planner_client.get(reverse("production:order-edit", args=[draft.pk])).status_code == 200


def test_pages_are_403_for_a_sales_user(client, plant):
    order = plant.order()
    client.force_login(staff_user("Sales"))
    for url in (
        reverse("production:order-list"),
        reverse("production:order-export"),
        reverse("production:order-create"),
        reverse("production:order-detail", args=[order.pk]),
        reverse("production:order-edit", args=[order.pk]),
        reverse("production:order-print", args=[order.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("production:order-action", args=[order.pk, "release"]))
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.DRAFT


def test_list_filters_and_stays_within_a_query_budget(
    planner_client, plant, django_assert_max_num_queries
):
    orders = [plant.order() for _ in range(5)]
    released = services.production_order_release(order=orders[0], actor=None)
    with django_assert_max_num_queries(14):
        response = planner_client.get(reverse("production:order-list"))
    page = response.content.decode()
    assert all(order.number in page for order in orders)
    response = planner_client.get(reverse("production:order-list"), {"status": "released"})
    page = response.content.decode()
    assert released.number in page
    assert orders[1].number not in page
    partial = planner_client.get(reverse("production:order-list"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_export_is_an_excel_sheet_of_the_filtered_list(planner_client, plant):
    planned = plant.order()
    released = plant.released()
    response = planner_client.get(reverse("production:order-export"), {"status": "released"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [released.number]
    assert planned.number not in numbers


def test_pdf_is_a_pdf(planner_client, plant):
    order = plant.released()
    response = planner_client.get(reverse("production:order-print", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_create_form_saves_a_planned_order(planner_client, plant):
    due = timezone.localdate() + timedelta(days=5)
    response = planner_client.post(
        reverse("production:order-create"),
        {
            "item": plant.gearbox.pk,
            "quantity": "3",
            "date": timezone.localdate().isoformat(),
            "due_date": due.isoformat(),
            "warehouse": plant.finished.pk,
            "component_warehouse": plant.stores.pk,
        },
    )
    order = ProductionOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("production:order-detail", args=[order.pk])
    assert order.materials.count() == 3


def test_create_form_shows_the_services_refusal(planner_client, plant):
    response = planner_client.post(
        reverse("production:order-create"),
        {
            "item": plant.gearbox.pk,
            "quantity": "3",
            "date": timezone.localdate().isoformat(),
            "due_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "warehouse": plant.finished.pk,
        },
    )
    assert response.status_code == 200
    assert "before the order date" in response.content.decode()
    assert ProductionOrder.objects.count() == 0


def test_edit_form_changes_a_planned_order(planner_client, plant):
    order = plant.order("10")
    response = planner_client.post(
        reverse("production:order-edit", args=[order.pk]),
        {
            "item": plant.gearbox.pk,
            "quantity": "4",
            "date": order.date.isoformat(),
            "due_date": order.due_date.isoformat(),
            "warehouse": plant.finished.pk,
            "component_warehouse": plant.stores.pk,
            "revision": order.revision,
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.quantity == D("4")


def test_action_buttons_run_the_flow_with_messages(client, plant):
    order = plant.order("1")
    client.force_login(staff_user("Planner"))
    url = reverse("production:order-action", args=[order.pk, "release"])
    response = client.post(url, {"revision": order.revision}, follow=True)
    assert "was released" in response.content.decode()
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.RELEASED
    # A second release is refused and says why.
    response = client.post(url, follow=True)
    assert "cannot be released" in response.content.decode()

    client.force_login(staff_user("Shop floor"))
    action = lambda verb: reverse("production:order-action", args=[order.pk, verb])  # noqa: E731
    client.post(action("consume"), {"item": plant.shaft.pk, "quantity": "2"})
    client.post(
        action("book-time"),
        {"operation": order.operations.get().pk, "machine_hours": "0.5", "labour_hours": "0"},
    )
    response = client.post(
        action("report-output"), {"quantity": "1", "scrap_quantity": "0"}, follow=True
    )
    assert "The output was booked" in response.content.decode()
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.DONE

    client.force_login(staff_user("Finance"))
    response = client.post(action("close"), follow=True)
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.CLOSED
    page = response.content.decode()
    assert 'data-testid="variance"' in page


def test_an_action_without_its_permission_is_403(client, plant):
    order = plant.order()
    client.force_login(staff_user("Shop floor"))
    response = client.post(reverse("production:order-action", args=[order.pk, "release"]))
    assert response.status_code == 403
    client.force_login(staff_user("Planner"))
    response = client.post(reverse("production:order-action", args=[order.pk, "nonsense"]))
    assert response.status_code == 404


def test_bad_form_input_on_an_action_is_a_message(client, plant):
    order = plant.released()
    client.force_login(staff_user("Shop floor"))
    response = client.post(
        reverse("production:order-action", args=[order.pk, "consume"]),
        {"item": plant.shaft.pk, "quantity": "-3"},
        follow=True,
    )
    assert response.status_code == 200
    assert "alert" in response.content.decode()
    order.refresh_from_db()
    assert order.status == ProductionOrder.Status.RELEASED
