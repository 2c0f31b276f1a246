"""The planner's pages: every page opens for a planner after a run, bulk steps from the list,
a forecast added from its page, the run's progress bar stops polling once the run is done."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.testing import staff_user
from erp_core.planning import services
from erp_core.planning.models import Forecast, MrpRun, PlannedOrder
from erp_core.sales.tests.helpers import make_order

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def planned(plant, customer):
    """A confirmed order for 80 gearboxes in two weeks, and a run that planned it."""
    make_order(customer, plant.finished, [(plant.gearbox, 80)], approve=True,
               requested_date=today() + dt.timedelta(days=14))  # fmt: skip
    run = services.mrp_run_start(actor=None)
    return services.mrp_run_execute(run=run)


@pytest.fixture
def planner_client():
    client = Client()
    client.force_login(staff_user("Planner"))
    return client


def test_every_planning_page_opens_for_a_planner(
    planned, planner_client, django_assert_max_num_queries
):
    order = PlannedOrder.objects.filter(item__make_or_buy="buy").first()
    urls = [
        reverse("planning:dashboard"),
        reverse("planning:run-list"),
        reverse("planning:run-detail", args=[planned.pk]),
        reverse("planning:run-progress", args=[planned.pk]),
        reverse("planning:planned-order-list"),
        reverse("planning:planned-order-detail", args=[order.pk]),
        reverse("planning:exception-list"),
        reverse("planning:shortage-list"),
        reverse("planning:forecast-list"),
    ]
    for url in urls:
        response = planner_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    page = planner_client.get(reverse("planning:planned-order-detail", args=[order.pk]))
    # the purchase's page names the sales order behind it, up the BOM
    sales_number = (
        PlannedOrder.objects.get(item__make_or_buy="make").pegs.get().sales_order_line.order.number
    )
    assert sales_number in page.content.decode()
    with django_assert_max_num_queries(30):
        assert planner_client.get(reverse("planning:dashboard")).status_code == 200


def test_the_progress_bar_polls_only_while_the_run_is_active(planned, planner_client):
    done = planner_client.get(reverse("planning:run-progress", args=[planned.pk])).content.decode()
    assert "hx-trigger" not in done
    queued = MrpRun.objects.create(kind=MrpRun.Kind.REGENERATIVE, plan_date=today())
    page = planner_client.get(reverse("planning:run-progress", args=[queued.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page


def test_firm_and_release_from_the_list(planned, planner_client, plant):
    ids = [str(pk) for pk in PlannedOrder.objects.values_list("pk", flat=True)]
    url = reverse("planning:planned-order-bulk")
    planner_client.post(url, {"step": "firm", "ids": ids})
    assert set(PlannedOrder.objects.values_list("status", flat=True)) == {"firm"}
    planner_client.post(url, {"step": "release", "ids": ids, "warehouse": plant.finished.pk})
    assert set(PlannedOrder.objects.values_list("status", flat=True)) == {"released"}


def test_sales_may_not_open_the_dashboard_or_release(planned):
    client = Client()
    client.force_login(staff_user("Sales"))
    assert client.get(reverse("planning:dashboard")).status_code == 403
    ids = [str(pk) for pk in PlannedOrder.objects.values_list("pk", flat=True)]
    client.post(reverse("planning:planned-order-bulk"), {"step": "release", "ids": ids})
    assert not PlannedOrder.objects.filter(status="released").exists()


def test_a_forecast_is_added_from_its_page_and_a_bad_one_is_refused(plant, planner_client):
    url = reverse("planning:forecast-list")
    start = today() + dt.timedelta(days=30)
    good = {
        "item": plant.gearbox.pk,
        "period_start": start,
        "period_end": start + dt.timedelta(days=6),
        "quantity": "25",
    }
    assert planner_client.post(url, good).status_code == 302
    assert Forecast.objects.get().quantity == D(25)
    bad = {**good, "period_start": start + dt.timedelta(days=1), "period_end": start}
    assert planner_client.post(url, bad).status_code == 200
    assert Forecast.objects.count() == 1


def test_starting_a_run_from_the_dashboard(plant, planner_client):
    response = planner_client.post(reverse("planning:run-start"))
    run = MrpRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "planning:run-detail", args=[run.pk]
    )
    # a second one while it is queued is refused with a message
    response = planner_client.post(reverse("planning:run-start"), follow=True)
    assert MrpRun.objects.count() == 1
    assert "already queued or running" in response.content.decode()
