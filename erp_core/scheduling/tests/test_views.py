"""The schedule page: empty before a run, the Gantt and load data after, the run button for
planners only."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from erp_core.scheduling.models import Schedule
from erp_core.scheduling.services import schedule_run
from erp_core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_plan_per_machine_and_per_order(client, shop):
    order = shop.released("2", due_in_days=0)
    client.force_login(UserFactory(roles=["Planner"]))
    empty = client.get(reverse("scheduling:schedule"))
    assert empty.status_code == 200
    assert b'data-testid="no-schedule"' in empty.content
    schedule_run(seconds=D("0.3"))
    page = client.get(reverse("scheduling:schedule"))
    assert page.status_code == 200
    assert page.context["gantt"]["rows"] == sorted(
        {bar["machine"] for bar in page.context["gantt"]["bars"]}
    )
    assert {bar["order"] for bar in page.context["gantt"]["bars"]} == {order.number}
    assert [c["name"] for c in page.context["load"]["centers"]] == sorted(
        f"{c.code} {c.name}" for c in (shop.saw, shop.drill)
    )
    by_order = client.get(reverse("scheduling:schedule"), {"by": "order"})
    assert by_order.context["gantt"]["rows"] == [order.number]
    assert b'data-testid="run-schedule"' in page.content


def test_a_planner_runs_the_scheduler_from_the_page_and_sales_may_not(client, shop):
    shop.released("1")
    client.force_login(UserFactory(roles=["Sales"]))
    assert client.get(reverse("scheduling:schedule")).status_code == 200
    assert client.post(reverse("scheduling:run"), {"seconds": "0.3"}).status_code == 403
    assert not Schedule.objects.exists()
    client.force_login(UserFactory(roles=["Planner"]))
    response = client.post(reverse("scheduling:run"), {"seconds": "0.3"})
    assert response.status_code == 302
    assert Schedule.objects.filter(is_current=True).count() == 1
    client.post(reverse("scheduling:run"), {"seconds": "9999"})
    assert Schedule.objects.count() == 1
