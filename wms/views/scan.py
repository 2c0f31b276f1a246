"""The scan screens: receive, putaway, move and count, each a :class:`ScanFlow` of the kit
in ``wms.views.kit`` whose ``finish`` calls a WMS service."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.templatetags.numbers import qty as qty_str
from erp_core.models import Item
from wms import selectors_ui as selectors
from wms.models import Bin, Lot
from wms.services.common import positive_quantity
from wms.services.stock import Source, quant_move
from wms.views.kit import ScanFlow, ScanStep, scan_screen, wms_required

# --- resolving one scan --------------------------------------------------------------------------


def scan_bin(value: str, scanned: dict) -> Bin:
    """A bin by its barcode."""
    bin = selectors.bin_by_barcode(value)
    if bin is None:
        raise ValidationError(_("No bin has the barcode %(code)s.") % {"code": value})
    return bin


def scan_item_in(bin_step: str) -> "callable":
    """An item by barcode or code, which the bin scanned at ``bin_step`` holds."""

    def resolve(value: str, scanned: dict) -> Item:
        item = selectors.item_by_barcode(value)
        if item is None:
            raise ValidationError(_("No item has the barcode or code %(code)s.") % {"code": value})
        bin = scanned[bin_step]
        if not selectors.item_in_bin(bin=bin, item=item):
            raise ValidationError(
                _("Bin %(bin)s holds no %(item)s.") % {"bin": bin.code, "item": item.code}
            )
        return item

    return resolve


def scan_lot_in(bin_step: str) -> "callable":
    """A lot of the scanned item by its number, which the bin scanned at ``bin_step`` holds."""

    def resolve(value: str, scanned: dict) -> Lot:
        item, bin = scanned["item"], scanned[bin_step]
        lot = selectors.lot_by_number(item=item, number=value)
        if lot is None:
            raise ValidationError(
                _("%(item)s has no lot %(lot)s.") % {"item": item.code, "lot": value}
            )
        if selectors.quant_get(bin=bin, item=item, lot=lot) is None:
            raise ValidationError(
                _("Lot %(lot)s is not in bin %(bin)s.") % {"lot": lot.lot_number, "bin": bin.code}
            )
        return lot

    return resolve


def scan_quantity_from(bin_step: str) -> "callable":
    """A quantity above zero, no more than the bin has free of the item (and lot)."""

    def resolve(value: str, scanned: dict):
        quantity = positive_quantity(value)
        bin, item = scanned[bin_step], scanned["item"]
        quant = selectors.quant_get(bin=bin, item=item, lot=scanned.get("lot"))
        free = quant.available if quant else 0
        if quantity > free:
            raise ValidationError(
                _("Bin %(bin)s has only %(free)s of %(item)s free.")
                % {"bin": bin.code, "free": qty_str(free), "item": item.code}
            )
        return quantity

    return resolve


def lot_tracked(scanned: dict) -> bool:
    return scanned.get("item") is not None and scanned["item"].tracking == Item.Tracking.LOT


def serial_tracked(scanned: dict) -> bool:
    return scanned.get("item") is not None and scanned["item"].tracking == Item.Tracking.SERIAL


def not_serial_tracked(scanned: dict) -> bool:
    return not serial_tracked(scanned)


def scan_serial_in(bin_step: str) -> "callable":
    """A serial number of the scanned item lying free in the bin."""

    def resolve(value: str, scanned: dict) -> str:
        item, bin = scanned["item"], scanned[bin_step]
        if not selectors.serial_in_bin(item=item, bin=bin, serial=value):
            raise ValidationError(
                _("Serial number %(serial)s of %(item)s is not free in bin %(bin)s.")
                % {"serial": value, "item": item.code, "bin": bin.code}
            )
        return value

    return resolve


def scan_target_bin(value: str, scanned: dict) -> Bin:
    """The bin the stock goes to: of the same warehouse, not the one it is taken from."""
    bin = scan_bin(value, scanned)
    source = scanned["from_bin"]
    if bin.pk == source.pk:
        raise ValidationError(_("Scan another bin than the one the stock is in."))
    if bin.warehouse_id != source.warehouse_id:
        raise ValidationError(
            _("Bin %(bin)s is in another warehouse (%(warehouse)s).")
            % {"bin": bin.code, "warehouse": bin.warehouse.code}
        )
    if bin.is_blocked:
        raise ValidationError(_("Bin %(bin)s is blocked.") % {"bin": bin.code})
    return bin


def _show_item(item: Item) -> str:
    return f"{item.code} {item.name}"


# --- the flows ---------------------------------------------------------------------------------


def _finish_move(scanned: dict, user) -> str:
    item, lot = scanned["item"], scanned.get("lot")
    serial = scanned.get("serial")
    quantity = 1 if serial else scanned["quantity"]
    quant_move(
        from_bin=scanned["from_bin"],
        to_bin=scanned["to_bin"],
        item=item,
        lot=lot,
        quantity=quantity,
        serials=[serial] if serial else (),
        source=Source(type="scan", id="move"),
        actor=user,
    )
    return _("Moved %(quantity)s of %(item)s from %(from)s to %(to)s.") % {
        "quantity": qty_str(quantity),
        "item": item.code,
        "from": scanned["from_bin"].code,
        "to": scanned["to_bin"].code,
    }


MOVE = ScanFlow(
    url_name="wms:scan-move",
    title=gettext_lazy("Move stock"),
    intro=gettext_lazy("Scan the bin to take stock from."),
    steps=(
        ScanStep("from_bin", gettext_lazy("From bin"), scan_bin, show=lambda b: b.code),
        ScanStep("item", gettext_lazy("Item"), scan_item_in("from_bin"), show=_show_item),
        ScanStep("lot", gettext_lazy("Lot"), scan_lot_in("from_bin"), when=lot_tracked),
        ScanStep(
            "serial", gettext_lazy("Serial number"), scan_serial_in("from_bin"), when=serial_tracked
        ),
        ScanStep(
            "quantity",
            gettext_lazy("Quantity"),
            scan_quantity_from("from_bin"),
            when=not_serial_tracked,
            numeric=True,
            show=qty_str,
        ),
        ScanStep("to_bin", gettext_lazy("To bin"), scan_target_bin, show=lambda b: b.code),
    ),
    finish=_finish_move,
)

FLOWS = (MOVE,)


@wms_required()
def scan_menu(request: HttpRequest) -> HttpResponse:
    """The scan screens, each reachable by a number key on a handheld."""
    return render(request, "wms/scan/menu.html", {"flows": FLOWS})


@wms_required()
@require_http_methods(["GET", "POST"])
def scan_move(request: HttpRequest) -> HttpResponse:
    """Move stock from bin to bin by scan: bin, item, lot or serial, quantity, bin."""
    return scan_screen(request, MOVE)
