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
from wms.models import Allocation, Bin, Lot, PickList
from wms.services.common import positive_quantity
from wms.services.outbound import pick_list_pick
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


# --- picking -------------------------------------------------------------------------------------


def _open_picks(scanned: dict) -> list[Allocation]:
    return selectors.pick_tasks_open(pick_list=scanned["pick_list"])


def _describe(task: Allocation) -> str:
    what = {
        "quantity": qty_str(task.quantity - task.picked_quantity),
        "item": task.item.code,
        "bin": task.bin.code,
    }
    if task.serial_id:
        return _("Bin %(bin)s: serial number %(serial)s of %(item)s") % {
            **what,
            "serial": task.serial.serial,
        }
    if task.lot_id:
        return _("Bin %(bin)s: %(quantity)s of %(item)s, lot %(lot)s") % {
            **what,
            "lot": task.lot.lot_number,
        }
    return _("Bin %(bin)s: %(quantity)s of %(item)s") % what


def _candidates(scanned: dict) -> list[Allocation]:
    """The open picks the scans so far still fit."""
    tasks = _open_picks(scanned)
    if "bin" in scanned:
        tasks = [t for t in tasks if t.bin_id == scanned["bin"].pk]
    if "item" in scanned:
        tasks = [t for t in tasks if t.item_id == scanned["item"].pk]
    if "lot" in scanned:
        tasks = [t for t in tasks if t.lot_id == scanned["lot"].pk]
    if "serial" in scanned:
        tasks = [t for t in tasks if t.serial_id and t.serial.serial == scanned["serial"]]
    return tasks


def pick_hint(scanned: dict) -> str:
    """The next pick: where to go and what to take."""
    if "pick_list" not in scanned:
        return ""
    tasks = _candidates(scanned)
    return _describe(tasks[0]) if tasks else ""


def scan_pick_list(value: str, scanned: dict) -> PickList:
    """A pick list by its number, still to pick and with picks left."""
    pick_list = selectors.pick_list_by_number(value)
    if pick_list is None:
        raise ValidationError(_("No pick list has the number %(number)s.") % {"number": value})
    if pick_list.status != PickList.Status.DRAFT or not selectors.pick_tasks_open(
        pick_list=pick_list
    ):
        raise ValidationError(
            _("Pick list %(number)s has nothing left to pick.") % {"number": pick_list.number}
        )
    return pick_list


def scan_pick_bin(value: str, scanned: dict) -> Bin:
    """The bin of an open pick of the list."""
    bin = scan_bin(value, scanned)
    tasks = _open_picks(scanned)
    if not any(task.bin_id == bin.pk for task in tasks):
        raise ValidationError(
            _("Wrong bin: nothing is to be picked from %(bin)s; go to bin %(next)s.")
            % {"bin": bin.code, "next": tasks[0].bin.code if tasks else "-"}
        )
    return bin


def scan_pick_item(value: str, scanned: dict) -> Item:
    """An item to be picked from the scanned bin."""
    item = selectors.item_by_barcode(value)
    if item is None:
        raise ValidationError(_("No item has the barcode or code %(code)s.") % {"code": value})
    tasks = _candidates(scanned)
    if not any(task.item_id == item.pk for task in tasks):
        raise ValidationError(
            _("Wrong item: %(item)s is not to be picked from bin %(bin)s; pick %(expected)s.")
            % {
                "item": item.code,
                "bin": scanned["bin"].code,
                "expected": tasks[0].item.code if tasks else "-",
            }
        )
    return item


def scan_pick_lot(value: str, scanned: dict) -> Lot:
    """The lot allocated to a pick of the item in the bin."""
    tasks = _candidates(scanned)
    for task in tasks:
        if task.lot_id and task.lot.lot_number == value:
            return task.lot
    raise ValidationError(
        _("Wrong lot: pick lot %(expected)s of %(item)s from bin %(bin)s, not %(lot)s.")
        % {
            "expected": tasks[0].lot.lot_number if tasks and tasks[0].lot_id else "-",
            "item": scanned["item"].code,
            "bin": scanned["bin"].code,
            "lot": value,
        }
    )


def scan_pick_serial(value: str, scanned: dict) -> str:
    """A serial number allocated to a pick of the item in the bin."""
    if not any(task.serial_id and task.serial.serial == value for task in _candidates(scanned)):
        raise ValidationError(
            _("Wrong serial number: %(serial)s of %(item)s is not allocated in bin %(bin)s.")
            % {"serial": value, "item": scanned["item"].code, "bin": scanned["bin"].code}
        )
    return value


def scan_pick_quantity(value: str, scanned: dict):
    """A quantity above zero, no more than is left to pick of the item (and lot) here."""
    quantity = positive_quantity(value)
    tasks = _candidates(scanned)
    left = tasks[0].quantity - tasks[0].picked_quantity if tasks else 0
    if quantity > left:
        raise ValidationError(
            _("More than allocated: only %(left)s of %(item)s is to be picked from bin %(bin)s.")
            % {"left": qty_str(left), "item": scanned["item"].code, "bin": scanned["bin"].code}
        )
    return quantity


def _finish_pick(scanned: dict, user) -> str:
    pick_list, serial = scanned["pick_list"], scanned.get("serial", "")
    quantity = 1 if serial else scanned["quantity"]
    task = pick_list_pick(
        pick_list=pick_list,
        bin_barcode=scanned["bin"].barcode,
        item_code=scanned["item"].code,
        lot_number=scanned["lot"].lot_number if scanned.get("lot") else "",
        serial=serial,
        quantity=quantity,
        task_id=_candidates(scanned)[0].pk if _candidates(scanned) else None,
        actor=user,
    )
    done = _("Picked %(quantity)s of %(item)s from %(bin)s.") % {
        "quantity": qty_str(quantity),
        "item": task.item.code,
        "bin": task.bin.code,
    }
    if not selectors.pick_tasks_open(pick_list=pick_list):
        done += " " + _("Pick list %(number)s is done.") % {"number": pick_list.number}
    return done


PICK = ScanFlow(
    url_name="wms:scan-pick",
    title=gettext_lazy("Pick"),
    intro=gettext_lazy("Scan the pick list's number."),
    steps=(
        ScanStep("pick_list", gettext_lazy("Pick list"), scan_pick_list, show=lambda p: p.number),
        ScanStep("bin", gettext_lazy("Bin"), scan_pick_bin, show=lambda b: b.code, hint=pick_hint),
        ScanStep("item", gettext_lazy("Item"), scan_pick_item, show=_show_item, hint=pick_hint),
        ScanStep("lot", gettext_lazy("Lot"), scan_pick_lot, when=lot_tracked, hint=pick_hint),
        ScanStep(
            "serial",
            gettext_lazy("Serial number"),
            scan_pick_serial,
            when=serial_tracked,
            hint=pick_hint,
        ),
        ScanStep(
            "quantity",
            gettext_lazy("Quantity"),
            scan_pick_quantity,
            when=not_serial_tracked,
            numeric=True,
            show=qty_str,
            hint=pick_hint,
        ),
    ),
    finish=_finish_pick,
    keep=("pick_list",),
)

FLOWS = (MOVE, PICK)


@wms_required()
def scan_menu(request: HttpRequest) -> HttpResponse:
    """The scan screens, each reachable by a number key on a handheld."""
    return render(request, "wms/scan/menu.html", {"flows": FLOWS})


@wms_required()
@require_http_methods(["GET", "POST"])
def scan_move(request: HttpRequest) -> HttpResponse:
    """Move stock from bin to bin by scan: bin, item, lot or serial, quantity, bin."""
    return scan_screen(request, MOVE)


@wms_required()
@require_http_methods(["GET", "POST"])
def scan_pick(request: HttpRequest) -> HttpResponse:
    """Pick a pick list by scan: the list, then for each pick its bin, item, lot or serial and
    quantity, prompted in walking order."""
    return scan_screen(request, PICK)
