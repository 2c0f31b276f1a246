"""Steps on the WMS document pages — complete a receipt, submit and approve a count, pack an
outbound order — run the services, say what happened or why not, and need their permission;
the pick list and package label print as PDF."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from common.testing import staff_user
from erp_core.stock.models import StockBalance
from tests.wms.helpers import deliver_all
from tests.wms.outbound_kit import Site
from tests.wms.test_flows import _placed
from tests.wms.test_outbound import pick_all
from wms.models import Count, ExpectedReceipt, MoveTask, Package, Quant
from wms.services import counts, inbound
from wms.services import outbound as svc

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def site(books) -> Site:
    return Site()


def _client(*roles: str) -> Client:
    client = Client()
    client.force_login(staff_user(*roles))
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _counted(site: Site) -> Count:
    site.stock(site.a1, site.item, 10)
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    counts.count_record(
        count=count, bin_barcode=site.a1.barcode, barcode=site.item.code, quantity="8"
    )
    return count


def test_a_count_is_submitted_and_approved_from_its_page(site):
    count = _counted(site)
    keeper = _client("Warehouse")
    page = keeper.get(reverse("wms:count-detail", args=[count.pk])).content.decode()
    assert 'data-testid="btn-submit"' in page and 'data-testid="btn-approve"' not in page
    response = keeper.post(reverse("wms:count-submit", args=[count.pk]))
    assert response.status_code == 302
    count.refresh_from_db()
    assert count.status == Count.Status.SUBMITTED
    page = keeper.get(reverse("wms:count-detail", args=[count.pk])).content.decode()
    assert 'data-testid="btn-approve"' in page
    response = keeper.post(reverse("wms:count-approve", args=[count.pk]), follow=True)
    count.refresh_from_db()
    assert count.status == Count.Status.APPROVED
    assert any(count.number in text for text in _messages(response))
    assert Quant.objects.get(bin=site.a1, item=site.item).on_hand == D(8)


def test_approving_twice_shows_the_refusal_and_changes_nothing(site):
    count = _counted(site)
    counts.count_submit(count=count, actor=None)
    counts.count_approve(count=count, actor=None)
    response = _client("Warehouse").post(reverse("wms:count-approve", args=[count.pk]))
    assert response.status_code == 302
    texts = _messages(response)
    assert len(texts) == 1 and count.number in texts[0]
    assert Quant.objects.get(bin=site.a1, item=site.item).on_hand == D(8)


def test_steps_need_their_permission(site):
    count = _counted(site)
    counts.count_submit(count=count, actor=None)
    seller = _client("Sales")
    assert seller.post(reverse("wms:count-approve", args=[count.pk])).status_code == 403
    count.refresh_from_db()
    assert count.status == Count.Status.SUBMITTED
    assert (
        _client("Warehouse").get(reverse("wms:count-approve", args=[count.pk])).status_code == 405
    )


def test_an_outbound_order_is_packed_from_its_page_and_prints(site):
    site.stock(site.pick, site.item, 10)
    order = site.confirm([(site.item, 3)])
    pick_list = svc.pick_list_create(orders=[order])
    pick_all(site, pick_list)
    keeper = _client("Warehouse")
    page = keeper.get(reverse("wms:outbound-detail", args=[order.pk])).content.decode()
    assert 'data-testid="pack-form"' in page and pick_list.number in page
    assert order.number in keeper.get(reverse("wms:outbound-list")).content.decode()
    bad = keeper.post(reverse("wms:outbound-pack", args=[order.pk]), {"weight": "-1"})
    assert bad.status_code == 302 and Package.objects.count() == 0
    assert _messages(bad)
    response = keeper.post(reverse("wms:outbound-pack", args=[order.pk]), {"weight": "4.5"})
    assert response.status_code == 302
    package = Package.objects.get(order=order)
    assert package.weight == D("4.5") and package.contents.get().quantity == D(3)
    for url in (
        reverse("wms:pick-list-pdf", args=[pick_list.pk]),
        reverse("wms:package-label", args=[package.pk]),
    ):
        pdf = keeper.get(url)
        assert pdf["Content-Type"] == "application/pdf", url
        assert pdf.content.startswith(b"%PDF"), url


def test_a_receipt_is_completed_from_its_page_and_the_erp_books_it(live, warehouse, supplier, item):
    order = _placed(supplier, warehouse, (item, "5"))
    deliver_all()
    receipt = ExpectedReceipt.objects.get(purchase_order=order)
    inbound.expected_receipt_scan(receipt=receipt, barcode=item.barcode, quantity=D("5"))
    keeper = _client("Warehouse")
    page = keeper.get(reverse("wms:receipt-detail", args=[receipt.pk])).content.decode()
    assert 'data-testid="btn-complete"' in page
    assert (
        _client("Sales").post(reverse("wms:receipt-complete", args=[receipt.pk])).status_code == 403
    )
    response = keeper.post(reverse("wms:receipt-complete", args=[receipt.pk]))
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.status != ExpectedReceipt.Status.DRAFT
    deliver_all()
    assert StockBalance.objects.get(item=item, warehouse=warehouse).quantity == D("45")
    again = keeper.post(reverse("wms:receipt-complete", args=[receipt.pk]))
    assert _messages(again) and MoveTask.objects.filter(kind="putaway").count() == 1
