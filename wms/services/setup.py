"""Taking a warehouse over: WMS runs an ERP warehouse once it is set up and its stock adopted.

Adoption puts each ERP balance of the warehouse into the default bin as quants (no ERP move is
written: the ERP already holds that stock) and marks the warehouse live. From then on the
ERP's own receive and ship steps for it refuse and say the warehouse does the work in WMS.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.models import Item, User, Warehouse
from erp_core.purchasing.models import PurchaseOrder
from erp_core.stock.selectors import stock_balance_list
from wms.models import Bin, Lot, QuantMove, WarehouseSetup
from wms.services.common import figure
from wms.services.inbound import expected_receipt_create_for_order
from wms.services.stock import Source, quant_add

ADOPTED_LOT = "TAKEOVER"


def _own_bin(bin: Bin | None, warehouse: Warehouse, *, field: str) -> Bin | None:
    if bin is None:
        return None
    if bin.warehouse_id != warehouse.pk:
        raise ValidationError(
            {field: _("Bin %(bin)s is not in warehouse %(warehouse)s.")
             % {"bin": bin.code, "warehouse": warehouse.code}}
        )  # fmt: skip
    return bin


def _bin(warehouse: Warehouse, code: str, bin_type: str) -> Bin:
    bin, _created = Bin.objects.get_or_create(
        warehouse=warehouse,
        code=code,
        defaults={"barcode": f"{warehouse.code}-{code}", "bin_type": bin_type},
    )
    return bin


@transaction.atomic
def wms_warehouse_setup(
    *,
    warehouse: Warehouse,
    receiving_bin: Bin | None = None,
    default_bin: Bin | None = None,
    transit_bin: Bin | None = None,
) -> WarehouseSetup:
    """Set a warehouse up for WMS (not live yet): its receiving, default and in-transit bins.

    Bins not given are made (``RECV``, ``STOCK``, ``TRANSIT``) when the set-up has none.
    """
    if not isinstance(warehouse, Warehouse) or not warehouse.is_active:
        raise ValidationError({"warehouse": _("Choose an active warehouse.")})
    setup = WarehouseSetup.objects.select_for_update().filter(warehouse=warehouse).first()
    receiving_bin = _own_bin(receiving_bin, warehouse, field="receiving_bin")
    default_bin = _own_bin(default_bin, warehouse, field="default_bin")
    transit_bin = _own_bin(transit_bin, warehouse, field="transit_bin")
    if setup is None:
        setup = WarehouseSetup(
            warehouse=warehouse,
            receiving_bin=receiving_bin or _bin(warehouse, "RECV", Bin.Type.RECEIVING),
            default_bin=default_bin or _bin(warehouse, "STOCK", Bin.Type.STORAGE),
            transit_bin=transit_bin or _bin(warehouse, "TRANSIT", Bin.Type.TRANSIT),
        )
    else:
        setup.receiving_bin = receiving_bin or setup.receiving_bin
        setup.default_bin = default_bin or setup.default_bin
        setup.transit_bin = transit_bin or setup.transit_bin
    setup.save()
    return setup


def _adopt_balance(setup: WarehouseSetup, item: Item, quantity: Decimal, actor) -> None:
    source = Source(type="wms.adoption", id=str(setup.warehouse_id))
    lot = None
    serials: list[str] = []
    if item.tracking == Item.Tracking.LOT:
        lot, _created = Lot.objects.get_or_create(item=item, lot_number=ADOPTED_LOT)
    elif item.tracking == Item.Tracking.SERIAL:
        if quantity != quantity.to_integral_value():
            raise ValidationError(
                {"warehouse": _("%(item)s is tracked by serial number but %(quantity)s are in "
                                "stock: correct the ERP stock first.")
                 % {"item": item.code, "quantity": figure(quantity)}}
            )  # fmt: skip
        # Units taken over get a number of their own until they are relabelled.
        serials = [
            f"{ADOPTED_LOT}-{setup.warehouse.code}-{item.code}-{n:05d}"
            for n in range(1, int(quantity) + 1)
        ]
    quant_add(bin=setup.default_bin, item=item, quantity=quantity, lot=lot, serials=serials,
              reason=QuantMove.Reason.ADOPTION, source=source, actor=actor)  # fmt: skip


@transaction.atomic
def wms_warehouse_adopt(*, warehouse: Warehouse, actor: User | None = None) -> WarehouseSetup:
    """Take a set-up warehouse over: its ERP stock becomes quants in its default bin, its
    placed purchase orders expected receipts, and WMS runs it from now on. Writes no ERP move.
    Refused for a live warehouse, a warehouse not set up, and a negative ERP balance (nothing
    is written then)."""
    setup = WarehouseSetup.objects.select_for_update().filter(warehouse=warehouse).first()
    if setup is None:
        raise ValidationError(
            {"warehouse": _("Set warehouse %(warehouse)s up for WMS first.")
             % {"warehouse": warehouse.code}}
        )  # fmt: skip
    if setup.live:
        raise Conflict(
            _("WMS already runs warehouse %(warehouse)s.") % {"warehouse": warehouse.code},
            code="already_live",
        )
    # Going live first: from here on the ERP refuses to receive or ship into this warehouse,
    # and the balances read below are locked until the takeover commits.
    setup.live = True
    setup.live_since = timezone.now()
    setup.save(update_fields=["live", "live_since"])
    balances = list(
        stock_balance_list(warehouse_id=warehouse.pk)
        .select_for_update(of=("self",))
        .exclude(quantity=0)
    )
    negative = [b for b in balances if b.quantity < 0]
    if negative:
        raise ValidationError(
            {"warehouse": _("Stock below zero in the ERP cannot be taken over: %(items)s.")
             % {"items": ", ".join(f"{b.item.code} {figure(b.quantity)}" for b in negative)}}
        )  # fmt: skip
    for balance in balances:
        _adopt_balance(setup, balance.item, balance.quantity, actor)
    # Orders placed before the takeover are received here from now on.
    placed = PurchaseOrder.objects.filter(warehouse=warehouse, status=PurchaseOrder.Status.APPROVED)
    for order in placed.order_by("pk"):
        expected_receipt_create_for_order(order=order)
    return setup
