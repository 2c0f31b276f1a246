"""The scan screens: receive, putaway, move, pick and count, each a :class:`ScanFlow` of the
kit in ``wms.views.kit`` whose ``finish`` calls a WMS service."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.templatetags.numbers import qty as qty_str
from erp_core.models import Item
from wms import selectors
from wms.models import Allocation, Bin, Count, ExpectedReceipt, Lot, MoveTask, PickList
from wms.services.common import not_negative_quantity, positive_quantity
from wms.services.counts import count_record
from wms.services.inbound import expected_receipt_scan
from wms.services.internal import bin_move, move_task_confirm
from wms.services.outbound import pick_list_pick
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
    bin_move(
        from_bin=scanned["from_bin"],
        to_bin=scanned["to_bin"],
        item=item,
        lot=lot,
        quantity=quantity,
        serials=[serial] if serial else (),
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


# --- receiving ---------------------------------------------------------------------------------


def scan_receipt(value: str, scanned: dict) -> ExpectedReceipt:
    """An expected receipt still to receive, by its number or its purchase order's."""
    receipt = selectors.receipt_by_number(value)
    if receipt is None:
        raise ValidationError(
            _("No expected receipt or purchase order has the number %(number)s.")
            % {"number": value}
        )
    if receipt.status != ExpectedReceipt.Status.DRAFT:
        raise ValidationError(
            _("Receipt %(number)s is %(status)s: nothing more is received against it.")
            % {"number": receipt.number, "status": receipt.get_status_display().lower()}
        )
    return receipt


def scan_receipt_item(value: str, scanned: dict) -> Item:
    """An item the receipt expects."""
    item = selectors.item_by_barcode(value)
    if item is None:
        raise ValidationError(_("No item has the barcode or code %(code)s.") % {"code": value})
    if selectors.receipt_line_of(receipt=scanned["receipt"], item=item) is None:
        raise ValidationError(
            _("%(item)s is not expected on receipt %(number)s.")
            % {"item": item.code, "number": scanned["receipt"].number}
        )
    return item


def scan_new_lot(value: str, scanned: dict) -> str:
    """A lot number as printed on the goods (the lot is made when it is new)."""
    if len(value) > Lot._meta.get_field("lot_number").max_length:
        raise ValidationError(_("A lot number has at most 64 characters."))
    return value


def lot_needs_expiry(scanned: dict) -> bool:
    """A new lot (or one without an expiry) needs its expiry date."""
    if not lot_tracked(scanned) or "lot" not in scanned:
        return False
    known = selectors.lot_by_number(item=scanned["item"], number=scanned["lot"])
    return known is None or known.expiry is None


def scan_date(value: str, scanned: dict):
    """A date as YYYY-MM-DD, YYYYMMDD or YYMMDD (as printed on goods)."""
    digits = value.replace("-", "").replace("/", "").replace(".", "")
    formats = {8: "%Y%m%d", 6: "%y%m%d"}
    try:
        return dt.datetime.strptime(digits, formats[len(digits)]).date()
    except (KeyError, ValueError):
        raise ValidationError(
            _("%(value)s is not a date: scan or type it as YYYY-MM-DD.") % {"value": value}
        ) from None


def scan_receipt_quantity(value: str, scanned: dict):
    """A quantity above zero (the service checks the order's tolerance)."""
    return positive_quantity(value)


def receipt_hint(scanned: dict) -> str:
    """What the receipt still expects."""
    receipt = scanned.get("receipt")
    if receipt is None:
        return ""
    lines = [
        f"{line.item.code} {qty_str(line.received_quantity)}/{qty_str(line.quantity)}"
        for line in receipt.lines.filter(cancelled=False).select_related("item")
    ]
    return " · ".join(lines)


def _finish_receive(scanned: dict, user) -> str:
    item, serial = scanned["item"], scanned.get("serial", "")
    quantity = 1 if serial else scanned["quantity"]
    expected_receipt_scan(
        receipt=scanned["receipt"],
        barcode=item.barcode or item.code,
        quantity=quantity,
        lot_number=scanned.get("lot", ""),
        expiry=scanned.get("expiry"),
        serial=serial,
        actor=user,
    )
    return _("Received %(quantity)s of %(item)s on %(number)s.") % {
        "quantity": qty_str(quantity),
        "item": item.code,
        "number": scanned["receipt"].number,
    }


RECEIVE = ScanFlow(
    url_name="wms:scan-receive",
    title=gettext_lazy("Receive"),
    intro=gettext_lazy("Scan the expected receipt's or purchase order's number."),
    steps=(
        ScanStep(
            "receipt", gettext_lazy("Expected receipt"), scan_receipt, show=lambda r: r.number
        ),
        ScanStep(
            "item", gettext_lazy("Item"), scan_receipt_item, show=_show_item, hint=receipt_hint
        ),
        ScanStep("lot", gettext_lazy("Lot"), scan_new_lot, when=lot_tracked),
        ScanStep(
            "expiry",
            gettext_lazy("Expiry"),
            scan_date,
            when=lot_needs_expiry,
            show=lambda d: d.isoformat(),
        ),
        ScanStep("serial", gettext_lazy("Serial number"), lambda v, s: v, when=serial_tracked),
        ScanStep(
            "quantity",
            gettext_lazy("Quantity"),
            scan_receipt_quantity,
            when=not_serial_tracked,
            numeric=True,
            show=qty_str,
        ),
    ),
    finish=_finish_receive,
    keep=("receipt",),
)


# --- putaway -----------------------------------------------------------------------------------


def _putaway_candidates(scanned: dict) -> list[MoveTask]:
    tasks = selectors.putaway_tasks(from_bin=scanned["from_bin"], item=scanned.get("item"))
    if "lot" in scanned:
        tasks = [task for task in tasks if task.lot_id == scanned["lot"].pk]
    return tasks


def scan_putaway_bin(value: str, scanned: dict) -> Bin:
    """The bin goods wait in for putaway (the receiving bin)."""
    bin = scan_bin(value, scanned)
    if not selectors.putaway_tasks(from_bin=bin):
        raise ValidationError(_("Nothing in bin %(bin)s waits for putaway.") % {"bin": bin.code})
    return bin


def scan_putaway_item(value: str, scanned: dict) -> Item:
    """An item waiting in the bin for putaway."""
    item = selectors.item_by_barcode(value)
    if item is None:
        raise ValidationError(_("No item has the barcode or code %(code)s.") % {"code": value})
    if not selectors.putaway_tasks(from_bin=scanned["from_bin"], item=item):
        raise ValidationError(
            _("No %(item)s in bin %(bin)s waits for putaway.")
            % {"item": item.code, "bin": scanned["from_bin"].code}
        )
    return item


def scan_putaway_lot(value: str, scanned: dict) -> Lot:
    """The lot of the item waiting for putaway."""
    for task in _putaway_candidates(scanned):
        if task.lot_id and task.lot.lot_number == value:
            return task.lot
    raise ValidationError(
        _("No lot %(lot)s of %(item)s waits for putaway here.")
        % {"lot": value, "item": scanned["item"].code}
    )


def putaway_hint(scanned: dict) -> str:
    """Where the goods go: the suggested bin."""
    if "item" not in scanned:
        return ""
    tasks = _putaway_candidates(scanned)
    if not tasks:
        return ""
    task = tasks[0]
    target = task.to_bin.code if task.to_bin_id else _("any bin with room")
    return _("Put %(quantity)s of %(item)s into %(bin)s") % {
        "quantity": qty_str(task.quantity),
        "item": task.item.code,
        "bin": target,
    }


def scan_putaway_target(value: str, scanned: dict) -> str:
    """The bin the goods were put into (the service checks it is the suggested one)."""
    scan_bin(value, scanned)
    return value


def _finish_putaway(scanned: dict, user) -> str:
    tasks = _putaway_candidates(scanned)
    if not tasks:
        raise ValidationError(_("That putaway is done already."))
    task = move_task_confirm(task=tasks[0], bin_barcode=scanned["to_bin"], actor=user)
    return _("Put %(quantity)s of %(item)s into %(bin)s.") % {
        "quantity": qty_str(task.quantity),
        "item": task.item.code,
        "bin": task.done_bin.code,
    }


PUTAWAY = ScanFlow(
    url_name="wms:scan-putaway",
    title=gettext_lazy("Putaway"),
    intro=gettext_lazy("Scan the bin the goods wait in."),
    steps=(
        ScanStep("from_bin", gettext_lazy("From bin"), scan_putaway_bin, show=lambda b: b.code),
        ScanStep("item", gettext_lazy("Item"), scan_putaway_item, show=_show_item),
        ScanStep("lot", gettext_lazy("Lot"), scan_putaway_lot, when=lot_tracked, hint=putaway_hint),
        ScanStep("to_bin", gettext_lazy("To bin"), scan_putaway_target, hint=putaway_hint),
    ),
    finish=_finish_putaway,
    keep=("from_bin",),
)


# --- counting ----------------------------------------------------------------------------------


def scan_count(value: str, scanned: dict) -> Count:
    """A count being counted, by its number."""
    count = selectors.count_by_number(value)
    if count is None:
        raise ValidationError(_("No count has the number %(number)s.") % {"number": value})
    if count.status != Count.Status.DRAFT:
        raise ValidationError(
            _("Count %(number)s is %(status)s: it is no longer counted.")
            % {"number": count.number, "status": count.get_status_display().lower()}
        )
    return count


def scan_count_bin(value: str, scanned: dict) -> Bin:
    """A bin of the count."""
    bin = scan_bin(value, scanned)
    if not selectors.count_has_bin(count=scanned["count"], bin=bin):
        raise ValidationError(
            _("Bin %(bin)s is not part of count %(number)s.")
            % {"bin": bin.code, "number": scanned["count"].number}
        )
    return bin


def scan_any_item(value: str, scanned: dict) -> Item:
    """Any item (a count may find what the books do not hold)."""
    item = selectors.item_by_barcode(value)
    if item is None:
        raise ValidationError(_("No item has the barcode or code %(code)s.") % {"code": value})
    return item


def scan_known_lot(value: str, scanned: dict) -> Lot:
    """A known lot of the scanned item."""
    lot = selectors.lot_by_number(item=scanned["item"], number=value)
    if lot is None:
        raise ValidationError(
            _("%(item)s has no lot %(lot)s.") % {"item": scanned["item"].code, "lot": value}
        )
    return lot


def scan_counted(value: str, scanned: dict):
    """What was found: zero or more."""
    return not_negative_quantity(value)


def scan_counted_serial(value: str, scanned: dict) -> str:
    """A serial number found in the bin (known or not: the service tells a missing one from an
    extra one when the count is approved)."""
    value = value.strip()
    if not value or len(value) > 64:
        raise ValidationError(_("Scan the unit's serial number."))
    return value


def _finish_count(scanned: dict, user) -> str:
    item, lot = scanned["item"], scanned.get("lot")
    if scanned.get("serial"):
        line = count_record(
            count=scanned["count"],
            bin_barcode=scanned["bin"].barcode,
            barcode=item.barcode or item.code,
            serial=scanned["serial"],
            actor=user,
        )
        return _("Counted serial number %(serial)s of %(item)s in %(bin)s (%(n)s so far).") % {
            "serial": scanned["serial"],
            "item": item.code,
            "bin": scanned["bin"].code,
            "n": qty_str(line.counted_quantity),
        }
    count_record(
        count=scanned["count"],
        bin_barcode=scanned["bin"].barcode,
        barcode=item.barcode or item.code,
        lot_number=lot.lot_number if lot else "",
        quantity=scanned["quantity"],
        actor=user,
    )
    return _("Counted %(quantity)s of %(item)s in %(bin)s.") % {
        "quantity": qty_str(scanned["quantity"]),
        "item": item.code,
        "bin": scanned["bin"].code,
    }


COUNT = ScanFlow(
    url_name="wms:scan-count",
    title=gettext_lazy("Count"),
    intro=gettext_lazy("Scan the count's number."),
    steps=(
        ScanStep("count", gettext_lazy("Count"), scan_count, show=lambda c: c.number),
        ScanStep("bin", gettext_lazy("Bin"), scan_count_bin, show=lambda b: b.code),
        ScanStep("item", gettext_lazy("Item"), scan_any_item, show=_show_item),
        ScanStep(
            "lot",
            gettext_lazy("Lot"),
            scan_known_lot,
            when=lot_tracked,
            show=lambda lot: lot.lot_number,
        ),
        ScanStep("serial", gettext_lazy("Serial number"), scan_counted_serial, when=serial_tracked),
        ScanStep(
            "quantity",
            gettext_lazy("Quantity found"),
            scan_counted,
            numeric=True,
            show=qty_str,
            when=not_serial_tracked,
        ),
    ),
    finish=_finish_count,
    keep=("count", "bin"),
)

FLOWS = (RECEIVE, PUTAWAY, MOVE, PICK, COUNT)


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


@wms_required()
@require_http_methods(["GET", "POST"])
def scan_receive(request: HttpRequest) -> HttpResponse:
    """Receive against an expected receipt by scan: receipt, item, lot and expiry or serial,
    quantity."""
    return scan_screen(request, RECEIVE)


@wms_required()
@require_http_methods(["GET", "POST"])
def scan_putaway(request: HttpRequest) -> HttpResponse:
    """Put received goods away by scan: the bin they wait in, item, lot, the bin used."""
    return scan_screen(request, PUTAWAY)


@wms_required()
@require_http_methods(["GET", "POST"])
def scan_count_screen(request: HttpRequest) -> HttpResponse:
    """Count by scan: count, bin, item, lot, quantity found (blind: the books are not shown)."""
    return scan_screen(request, COUNT)
