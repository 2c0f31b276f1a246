"""The shared set-up of the WMS outbound tests: a warehouse WMS runs, with bins, stock held the
same in the ERP ledger and in the bins, and a customer's confirmed orders."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from erp_core.models import Item, Partner
from erp_core.sales.tests.helpers import make_order
from erp_core.tests.factories import ItemFactory, PartnerFactory, TaxCodeFactory, WarehouseFactory
from integration.models import Event
from integration.services import event_deliver
from tests.wms.helpers import book_taken_over
from wms.models import Bin, Lot, OutboundOrder, WarehouseSetup, Zone
from wms.services.stock import quant_add

D = Decimal


def deliver_pending() -> None:
    """Deliver every event still in the outbox, in the order written (the worker's job)."""
    for _round in range(5):
        pending = list(
            Event.objects.filter(status=Event.Status.PENDING)
            .order_by("occurred_at", "pk")
            .values_list("pk", flat=True)
        )
        if not pending:
            return
        for pk in pending:
            event_deliver(event_id=pk)


class Site:
    """A WMS-run warehouse: receiving, two storage bins, a picking bin, a blocked bin, a
    quarantine bin and a shipping bin, walked in that order."""

    def __init__(self, *, live: bool = True) -> None:
        self.warehouse = WarehouseFactory()
        wh = self.warehouse
        zone = Zone.objects.create(warehouse=wh, code="A", name="Aisle A")

        def make(code, bin_type=Bin.Type.STORAGE, walk=0, **extra):
            return Bin.objects.create(warehouse=wh, code=code, barcode=f"{wh.code}-{code}",
                                      bin_type=bin_type, walking_order=walk, zone=zone,
                                      **extra)  # fmt: skip

        self.recv = make("RECV", Bin.Type.RECEIVING, 0)
        self.a1 = make("A-01", walk=30)
        self.a2 = make("A-02", walk=20)
        self.pick = make("P-01", Bin.Type.PICKING, 10)
        self.blocked = make("X-01", walk=40, is_blocked=True)
        self.quarantine = make("Q-01", Bin.Type.QUARANTINE, 50)
        self.ship = make("SHIP", Bin.Type.SHIPPING, 90)
        self.setup = WarehouseSetup.objects.create(
            warehouse=wh, live=live, receiving_bin=self.recv, default_bin=self.a1,
            live_since=timezone.now() if live else None,
        )  # fmt: skip
        vat = TaxCodeFactory(code=f"V{wh.pk}", rate=D("0.13"))
        self.customer: Partner = PartnerFactory(kind=Partner.Kind.CUSTOMER)
        self.item: Item = ItemFactory(
            item_type=Item.ItemType.FINISHED_GOOD, list_price=D("100.00"), vat=vat
        )
        self.lot_item: Item = ItemFactory(
            item_type=Item.ItemType.FINISHED_GOOD,
            list_price=D("30.00"),
            vat=vat,
            tracking=Item.Tracking.LOT,
            shelf_life_days=365,
        )
        self.serial_item: Item = ItemFactory(
            item_type=Item.ItemType.FINISHED_GOOD,
            list_price=D("900.00"),
            vat=vat,
            tracking=Item.Tracking.SERIAL,
        )

    def lot(self, number: str, *, days: int | None, status=Lot.Status.AVAILABLE, item=None) -> Lot:
        """A lot expiring ``days`` from today (None: no expiry)."""
        expiry = timezone.localdate() + dt.timedelta(days=days) if days is not None else None
        return Lot.objects.create(
            item=item or self.lot_item, lot_number=number, expiry=expiry, status=status
        )

    def stock(self, bin: Bin, item: Item, quantity, *, lot=None, serials=(), cost="10") -> None:
        """Stock in a bin, booked the same in the ERP ledger (as when WMS took it over)."""
        with transaction.atomic():
            book_taken_over(item, self.warehouse, quantity, cost)
            quant_add(bin=bin, item=item, quantity=D(str(quantity)), lot=lot, serials=serials,
                      reason="adoption", ledger_reason="")  # fmt: skip

    def confirm(self, lines: list[tuple]) -> OutboundOrder:
        """Confirm a sales order of ``lines`` [(item, qty)] and deliver its event: its outbound
        order."""
        with transaction.atomic():
            order = make_order(self.customer, self.warehouse, lines, approve=True)
        deliver_pending()
        return OutboundOrder.objects.get(sales_order=order)
