"""Purchase requisitions: what we need to buy, by when; approved, then turned into orders.

Status flow: saved (draft) → approved (审核) → ordered (when every line is fully ordered);
approved → saved (反审核) while no order was made from it; saved → voided (作废).
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from erp_core.documents.models import VOIDED
from erp_core.documents.services import (
    document_lock,
    document_number_next,
    mark_approved,
    mark_changed,
    mark_unapproved,
    mark_voided,
    refuse_if_downstream,
    require_revision,
    require_status,
)
from erp_core.ledger.services import document_date_check
from erp_core.models import Item, Partner, User
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)
from erp_core.purchasing.services.common import (
    actor_or_none,
    check_date,
    check_item,
    check_supplier,
    line_error,
    positive_quantity,
    require_instance,
    require_lines,
)

Status = PurchaseRequisition.Status
LINE_FIELDS = {"item", "quantity", "needed_by", "suggested_supplier"}


def _clean_lines(lines: Iterable[dict]) -> list[PurchaseRequisitionLine]:
    """Unsaved requisition lines from input dicts, numbered from 1; bad input is a 400."""
    result = []
    for index, data in enumerate(require_lines(lines), start=1):
        unknown = set(data) - LINE_FIELDS - {"id", "line_no", "ordered_quantity"}
        if unknown:
            raise line_error(index, _("unknown fields %(names)s.") % {"names": sorted(unknown)})
        try:
            item = check_item(require_instance(data.get("item"), Item, field="item"))
            quantity = positive_quantity(data.get("quantity"), item=item)
            needed_by = data.get("needed_by")
            if needed_by is not None:
                check_date(needed_by, field="needed_by")
            supplier = data.get("suggested_supplier")
            if supplier not in (None, ""):
                supplier = check_supplier(
                    require_instance(supplier, Partner, field="suggested_supplier")
                )
            else:
                supplier = None
        except ValidationError as exc:
            raise line_error(index, " ".join(exc.messages)) from None
        result.append(
            PurchaseRequisitionLine(
                line_no=index,
                item=item,
                quantity=quantity,
                needed_by=needed_by,
                suggested_supplier=supplier,
            )
        )
    return result


def _save_lines(requisition: PurchaseRequisition, lines: list[PurchaseRequisitionLine]) -> None:
    for line in lines:
        line.requisition = requisition
    PurchaseRequisitionLine.objects.bulk_create(lines)


@transaction.atomic
def purchase_requisition_create(
    *,
    date: dt.date,
    lines: Iterable[dict],
    memo: str = "",
    requested_by: User | None = None,
    actor: User | None = None,
) -> PurchaseRequisition:
    """Save a new requisition (draft) with its lines; it takes the next ``PR`` number.

    Each line is ``{"item", "quantity", "needed_by"?, "suggested_supplier"?}``.
    """
    document_date_check(check_date(date))
    clean = _clean_lines(lines)
    actor = actor_or_none(actor)
    requisition = PurchaseRequisition.objects.create(
        number=document_number_next(kind=PurchaseRequisition.NUMBER_PREFIX, date=date),
        date=date,
        memo=(memo or "").strip()[:255],
        requested_by=requested_by or actor,
        created_by=actor,
    )
    _save_lines(requisition, clean)
    return requisition


@transaction.atomic
def purchase_requisition_update(
    *,
    requisition: PurchaseRequisition,
    expected_revision: int | None = None,
    date: dt.date | None = None,
    memo: str | None = None,
    requested_by: User | None = None,
    lines: Iterable[dict] | None = None,
    actor: User | None = None,
) -> PurchaseRequisition:
    """Change a saved requisition; ``lines`` (when given) replace all its lines.

    Only a draft can change (409 otherwise); an edit based on an older revision is a 409.
    """
    requisition = document_lock(requisition)
    require_status(requisition, Status.DRAFT, action=_("changed"))
    require_revision(requisition, expected_revision)
    changed = []
    if date is not None:
        document_date_check(check_date(date))
        if date.year != requisition.date.year:
            raise ValidationError({"date": _("The date must stay in the number's year.")})
        requisition.date = date
        changed.append("date")
    if memo is not None:
        requisition.memo = memo.strip()[:255]
        changed.append("memo")
    if requested_by is not None:
        requisition.requested_by = requested_by
        changed.append("requested_by")
    if lines is not None:
        clean = _clean_lines(lines)
        requisition.lines.all().delete()
        _save_lines(requisition, clean)
    mark_changed(requisition, changed)
    return requisition


@transaction.atomic
def purchase_requisition_approve(
    *, requisition: PurchaseRequisition, actor: User | None, expected_revision: int | None = None
) -> PurchaseRequisition:
    """Approve (审核) a saved requisition: it may now be ordered and is no longer editable."""
    requisition = document_lock(requisition)
    require_status(requisition, Status.DRAFT, action=_("approved"))
    require_revision(requisition, expected_revision)
    if not requisition.lines.exists():
        raise ValidationError({"lines": _("A requisition without lines cannot be approved.")})
    mark_approved(requisition, actor=actor_or_none(actor))
    return requisition


def _orders_made_from(requisition: PurchaseRequisition):
    return (
        PurchaseOrder.objects.filter(lines__requisition_line__requisition=requisition)
        .exclude(status=VOIDED)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def purchase_requisition_unapprove(
    *, requisition: PurchaseRequisition, actor: User | None, expected_revision: int | None = None
) -> PurchaseRequisition:
    """Take the approval back (反审核) while no order was made from the requisition."""
    requisition = document_lock(requisition)
    require_status(requisition, Status.APPROVED, Status.ORDERED, action=_("unapproved"))
    require_revision(requisition, expected_revision)
    refuse_if_downstream(requisition, _orders_made_from(requisition), action=_("unapproved"))
    mark_unapproved(requisition)
    return requisition


@transaction.atomic
def purchase_requisition_void(
    *,
    requisition: PurchaseRequisition,
    actor: User | None,
    reason: str,
    expected_revision: int | None = None,
) -> PurchaseRequisition:
    """Void (作废) a saved requisition; it keeps its number (unapprove an approved one first)."""
    requisition = document_lock(requisition)
    require_status(requisition, Status.DRAFT, action=_("voided"))
    require_revision(requisition, expected_revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the requisition is voided.")})
    mark_voided(requisition, actor=actor_or_none(actor), reason=reason)
    return requisition


def requisition_lines_order(*, lines: dict[int, tuple[PurchaseRequisitionLine, object]]) -> None:
    """Add ordered quantities to requisition lines (negative to release) and update statuses.

    ``lines`` maps a requisition line's pk to (line, quantity delta). The requisitions are
    locked in primary-key order; one whose lines are all fully ordered becomes ``ordered``, and
    an ``ordered`` one with a line short again goes back to ``approved``.
    """
    if not lines:
        return
    requisition_ids = sorted({line.requisition_id for line, _delta in lines.values()})
    locked = {
        requisition.pk: requisition
        for requisition in PurchaseRequisition.objects.select_for_update()
        .filter(pk__in=requisition_ids)
        .order_by("pk")
    }
    for pk, (_line, delta) in sorted(lines.items()):
        if delta:
            PurchaseRequisitionLine.objects.filter(pk=pk).update(
                ordered_quantity=F("ordered_quantity") + delta
            )
    for requisition in locked.values():
        open_lines = requisition.lines.filter(ordered_quantity__lt=F("quantity")).exists()
        if requisition.status == Status.APPROVED and not open_lines:
            requisition.status = Status.ORDERED
            mark_changed(requisition, ["status"])
        elif requisition.status == Status.ORDERED and open_lines:
            requisition.status = Status.APPROVED
            mark_changed(requisition, ["status"])
