"""The business bounds of the WMS actions that take a number: a scan, a count, a pick, a short
pick, a package. Each is taken just inside its bound and refused just outside it with a 400
that says which bound, and nothing written: no quant, journal row, serial, line, document or
event changes. Transfers declare theirs as the create endpoint's ``limit_checks``
(``test_internal_api.py``)."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from common.limits import QUANTITY_MAX
from common.testing import api_client, assert_action_limit, staff_user
from erp_core.models import Partner
from erp_core.tests.factories import PartnerFactory
from integration.models import Event
from tests.wms.helpers import deliver_all
from tests.wms.outbound_kit import Site
from tests.wms.test_flows import _placed
from wms.models import (
    Allocation,
    Count,
    CountLine,
    ExpectedReceipt,
    ExpectedReceiptLine,
    OutboundLine,
    Package,
    PackageContent,
    PickList,
    Quant,
    QuantMove,
    ReceiptScan,
    ReplenishmentRule,
    SerialNumber,
)
from wms.services import counts
from wms.services.outbound import pick_list_create, pick_list_pick
from wms.services.outbound.shipping import PACKAGE_WEIGHT_MAX

pytestmark = pytest.mark.django_db
BASE = "/api/v1/wms"
MAX = str(QUANTITY_MAX)
PAST_MAX = str(QUANTITY_MAX + 1)
AT_MOST = "at most"
WRITTEN = (
    Quant, QuantMove, SerialNumber, ReceiptScan, ExpectedReceipt, ExpectedReceiptLine, Count,
    CountLine, OutboundLine, PickList, Allocation, Package, PackageContent, Event,
)  # fmt: skip


def wms_rows() -> list[list[dict]]:
    """Every row an action could write, as it stands."""
    return [list(model._default_manager.order_by("pk").values()) for model in WRITTEN]


@dataclass
class Action:
    """Where an action is posted and the body that, with the value at ``path``, it takes."""

    url: str
    body: dict


def receipt_scan(site: Site, ordered: str) -> Action:
    """A scan against an expected receipt of ``ordered`` pieces (no over-receipt tolerance)."""
    _placed(PartnerFactory(kind=Partner.Kind.SUPPLIER), site.warehouse, (site.item, ordered))
    deliver_all()
    receipt = ExpectedReceipt.objects.get(warehouse=site.warehouse)
    return Action(
        f"{BASE}/expected-receipts/{receipt.pk}/scan/", {"barcode": site.item.code, "quantity": "1"}
    )


def count_record(site: Site) -> Action:
    """What a counter found of an item in a bin of a count."""
    site.stock(site.a1, site.item, 5)
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    return Action(
        f"{BASE}/counts/{count.pk}/record/",
        {"bin_barcode": site.a1.barcode, "barcode": site.item.code, "quantity": "5"},
    )


def _pick_list(site: Site, quantity) -> tuple[PickList, Allocation]:
    site.stock(site.a1, site.item, quantity)
    order = site.confirm([(site.item, quantity)])
    pick_list = pick_list_create(orders=[order])
    return pick_list, pick_list.tasks.get()


def pick(site: Site, allocated: int = 2) -> Action:
    """A pick by scan of a task of ``allocated`` pieces."""
    pick_list, task = _pick_list(site, allocated)
    return Action(
        f"{BASE}/pick-lists/{pick_list.pk}/pick/",
        {"bin": site.a1.barcode, "item": site.item.code, "quantity": "1", "task": task.pk},
    )


def short(site: Site) -> Action:
    """A short pick of a task of 2 pieces."""
    pick_list, task = _pick_list(site, 2)
    return Action(
        f"{BASE}/pick-lists/{pick_list.pk}/short/", {"task": task.pk, "found_quantity": "1"}
    )


def package(site: Site) -> Action:
    """Packing an order whose 2 pieces are picked."""
    pick_list, task = _pick_list(site, 2)
    pick_list_pick(pick_list=pick_list, bin_barcode=site.a1.barcode, item_code=site.item.code,
                   quantity=Decimal(2), task_id=task.pk)  # fmt: skip
    order = task.line.order
    return Action(
        f"{BASE}/packages/",
        {"order": order.pk, "weight": "12.5",
         "contents": [{"line": task.line_id, "quantity": "2"}]},
    )  # fmt: skip


CASES: list[tuple[str, Callable[[Site], Action], str, str, str, str]] = [
    # (name, action, path, just inside, just outside, what the refusal says)
    ("scan: a line's bound", lambda s: receipt_scan(s, MAX), "quantity", MAX, PAST_MAX, AT_MOST),
    ("scan: the order's", lambda s: receipt_scan(s, "10"), "quantity", "10", "11", "above the"),
    ("scan: above zero", lambda s: receipt_scan(s, "10"), "quantity", "1", "0", "greater than"),
    ("count: a line's bound", count_record, "quantity", MAX, PAST_MAX, AT_MOST),
    ("count: none found", count_record, "quantity", "0", "-1", "negative"),
    ("pick: a line's bound", lambda s: pick(s, int(QUANTITY_MAX)), "quantity", MAX, PAST_MAX,
     AT_MOST),
    ("pick: the task's", pick, "quantity", "2", "3", "More than allocated"),
    ("pick: above zero", pick, "quantity", "1", "0", "greater than"),
    ("short: a line's bound", short, "found_quantity", "1", PAST_MAX, AT_MOST),
    ("short: less than the task", short, "found_quantity", "1", "2", "not short"),
    ("short: none found", short, "found_quantity", "0", "-1", "negative"),
    ("package: the heaviest", package, "weight", str(PACKAGE_WEIGHT_MAX),
     str(PACKAGE_WEIGHT_MAX + Decimal("0.001")), AT_MOST),
    ("package: above zero", package, "weight", "0.001", "0", "greater than"),
    ("package: a line's bound", package, "contents.0.quantity", "2", PAST_MAX, AT_MOST),
    ("package: what was picked", package, "contents.0.quantity", "2", "3", "than was picked"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("make", "path", "inside", "outside", "refusal"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_an_action_takes_a_number_just_inside_its_bound_and_refuses_one_just_outside(
    books, make, path, inside, outside, refusal
):
    site = Site()
    action = make(site)
    assert_action_limit(
        api_client(staff_user("Warehouse")), action.url, body=action.body, path=path,
        inside=inside, outside=outside, refusal=refusal, state=wms_rows,
    )  # fmt: skip


def test_a_replenishment_rule_keeps_within_a_lines_bound(books, admin_client):
    """A rule's maximum becomes a task's quantity: the admin refuses one a task could not
    carry, and writes nothing."""
    site = Site()
    url = reverse("admin:wms_replenishmentrule_add")
    form = {"bin": site.pick.pk, "item": site.item.pk, "minimum": "10", "is_active": "on"}
    response = admin_client.post(url, {**form, "maximum": PAST_MAX})
    assert response.status_code == 200  # the form again, with its error
    assert not ReplenishmentRule.objects.exists()
    response = admin_client.post(url, {**form, "minimum": "-1", "maximum": "20"})
    assert not ReplenishmentRule.objects.exists()
    response = admin_client.post(url, {**form, "maximum": MAX})
    assert response.status_code == 302
    assert ReplenishmentRule.objects.get().maximum == QUANTITY_MAX
