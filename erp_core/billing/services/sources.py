"""What the billing documents invoice: a customer invoice the shipped delivery lines, a supplier
bill the received receipt lines.

Both sides follow one rule — whole documents of the partner stand for their lines not yet
invoiced, and posting counts the invoiced quantity on each source line, locked in primary-key
order, never beyond what was shipped or received — written once over an ``InvoiceSource``
(``DELIVERIES``, ``RECEIPTS``) that names each side's models, fields and messages.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from common.errors import Conflict
from common.templatetags.numbers import qty
from erp_core.billing.models import InvoiceLine
from erp_core.documents.models import APPROVED
from erp_core.models import Partner
from erp_core.purchasing.models import PurchaseReceipt, PurchaseReceiptLine
from erp_core.sales.models import Delivery, DeliveryLine


@dataclass(frozen=True)
class InvoiceSource:
    """One side of billing: the documents it invoices, their lines, and its messages."""

    document_model: type[Model]
    partner_field: str  # the document's partner
    documents_field: str  # the input field naming whole documents
    line_model: type[Model]
    line_field: str  # the invoice line's source line, also the key of a line spec
    document_field: str  # the source line's document
    counted_field: str  # the source line's quantity invoiced so far
    unknown: Promise
    other_partner: Promise
    all_invoiced: Promise
    not_approved: Promise
    too_much: Promise
    too_much_code: str


DELIVERIES = InvoiceSource(
    document_model=Delivery,
    partner_field="customer",
    documents_field="deliveries",
    line_model=DeliveryLine,
    line_field="delivery_line",
    document_field="delivery",
    counted_field="invoiced_quantity",
    unknown=gettext_lazy("Unknown deliveries: %(ids)s."),
    other_partner=gettext_lazy("Deliveries of another customer: %(numbers)s."),
    all_invoiced=gettext_lazy("Everything shipped is invoiced already."),
    not_approved=gettext_lazy("Delivery %(number)s is no longer shipped."),
    too_much=gettext_lazy(
        "Delivery %(number)s line %(line)s: %(wanted)s is more than the %(left)s "
        "shipped and not yet invoiced."
    ),
    too_much_code="over_invoiced",
)

RECEIPTS = InvoiceSource(
    document_model=PurchaseReceipt,
    partner_field="supplier",
    documents_field="receipts",
    line_model=PurchaseReceiptLine,
    line_field="receipt_line",
    document_field="receipt",
    counted_field="billed_quantity",
    unknown=gettext_lazy("Unknown receipts: %(ids)s."),
    other_partner=gettext_lazy("Receipts of another supplier: %(numbers)s."),
    all_invoiced=gettext_lazy("Everything received is billed already."),
    not_approved=gettext_lazy("Receipt %(number)s is no longer received."),
    too_much=gettext_lazy(
        "Receipt %(number)s line %(line)s: %(wanted)s is more than the %(left)s "
        "received and not yet billed."
    ),
    too_much_code="over_billed",
)


def line_specs_with_documents(
    specs: list[dict], documents: Iterable, *, partner: Partner, source: InvoiceSource
) -> list[dict]:
    """``specs`` with a spec for every line of the whole ``documents`` (instances or primary
    keys) still to invoice and not named in ``specs``. The documents must exist and be
    ``partner``'s, and leave something to invoice."""
    ids = [
        document.pk if isinstance(document, source.document_model) else document
        for document in documents or ()
    ]
    if not ids:
        return specs
    manager = source.document_model._default_manager
    found = set(manager.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {source.documents_field: source.unknown % {"ids": ", ".join(missing)}}
        )
    other = (
        manager.filter(pk__in=ids)
        .exclude(**{source.partner_field: partner})
        .values_list("number", flat=True)
    )
    if other:
        raise ValidationError(
            {source.documents_field: source.other_partner % {"numbers": ", ".join(other)}}
        )
    specs = list(specs)
    taken = {spec.get(source.line_field) for spec in specs}
    for line in source.line_model._default_manager.filter(
        **{
            f"{source.document_field}_id__in": ids,
            f"{source.counted_field}__lt": F("quantity"),
        }
    ).order_by(f"{source.document_field}_id", "line_no"):
        if line.pk not in taken and line not in taken:
            specs.append({source.line_field: line})
    if not specs:
        raise ValidationError({source.documents_field: str(source.all_invoiced)})
    return specs


def take_invoiced(
    lines: list[InvoiceLine], *, source: InvoiceSource, give_back: bool = False
) -> None:
    """Count the invoiced quantities of ``lines`` on their source lines (locked in pk order),
    or take them off (``give_back``: the document unposted)."""
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        source_line_id = getattr(line, f"{source.line_field}_id")
        if source_line_id:
            wanted[source_line_id] += line.quantity
    if not wanted:
        return
    manager = source.line_model._default_manager
    rows: Mapping[int, Model] = {
        row.pk: row
        for row in manager.select_for_update(of=("self",))
        .select_related(source.document_field)
        .filter(pk__in=sorted(wanted))
        .order_by("pk")
    }
    counted = F(source.counted_field)
    for pk, quantity in sorted(wanted.items()):
        row = rows[pk]
        if give_back:
            manager.filter(pk=pk).update(**{source.counted_field: counted - quantity})
            continue
        document = getattr(row, source.document_field)
        if document.status != APPROVED:
            raise Conflict(
                source.not_approved % {"number": document.number}, code="source_not_approved"
            )
        left = row.quantity - getattr(row, source.counted_field)
        if quantity > left:
            raise Conflict(
                source.too_much
                % {
                    "number": document.number,
                    "line": row.line_no,
                    "wanted": qty(quantity),
                    "left": qty(left),
                },
                code=source.too_much_code,
            )
        manager.filter(pk=pk).update(**{source.counted_field: counted + quantity})
