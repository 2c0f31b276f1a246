"""What a stock move's or journal entry's source reference means, in the reader's language.

Rows written by a service keep their source as a type code and an id (``sales.delivery`` / ``7``),
which is what they mean, not how it reads. ``source_labels`` turns many of them into labels —
the document's kind and number ("Delivery DL-2026-000001" / "发货单 DL-2026-000001") — with one
query per document type, whatever the number of rows. The models are named by their labels, so
this kernel imports no document app.
"""

from collections.abc import Iterable

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: source type → the model holding that document (app label, model name) and its label.
DOCUMENT_SOURCES: dict[str, tuple[str, str]] = {
    "sales.delivery": ("sales", "Delivery"),
    "purchasing.receipt": ("purchasing", "PurchaseReceipt"),
    "production.order": ("production", "ProductionOrder"),
    "billing.invoice": ("billing", "Invoice"),
    "billing.payment": ("billing", "Payment"),
}
DOCUMENT_LABELS = {
    "sales.delivery": _("Delivery"),
    "purchasing.receipt": _("Purchase receipt"),
    "production.order": _("Production order"),
    "billing.invoice": _("Invoice"),
    "billing.payment": _("Payment"),
}

#: Sources that are no document: their label, given the id.
OTHER_SOURCES = {
    ("demo", "opening"): _("Demo opening stock"),
    ("demo", "purchase"): _("Demo purchase"),
    ("demo", "consumption"): _("Demo consumption"),
    ("demo", "workshop"): _("Demo issue to the workshop"),
    ("demo", ""): _("Demo data"),
}
STOCK_MOVE = _("Stock move %(id)s")
OPENING_BALANCE = _("Opening balance %(id)s")
TIME_BOOKING = _("Time booking %(id)s")

Pair = tuple[str, str]


def _model(source_type: str):
    label = DOCUMENT_SOURCES.get(source_type)
    if label is None:
        return None
    try:
        return apps.get_model(*label)
    except LookupError:  # the app is not installed
        return None


def source_numbers(pairs: Iterable[Pair]) -> dict[Pair, str]:
    """The document number of each (source type, id) that names a document: one query a type."""
    wanted: dict[str, set[int]] = {}
    for source_type, source_id in pairs:
        if str(source_id).isdigit() and _model(source_type) is not None:
            wanted.setdefault(source_type, set()).add(int(source_id))
    numbers: dict[Pair, str] = {}
    for source_type, ids in wanted.items():
        model = _model(source_type)
        for pk, number in model._default_manager.filter(pk__in=ids).values_list("pk", "number"):
            if number:
                numbers[(source_type, str(pk))] = number
    return numbers


def source_label(source_type: str, source_id, number: str = "") -> str:
    """One source in the active language; ``number`` is the document's, when it has one."""
    source_type, source_id = source_type or "", "" if source_id is None else str(source_id)
    if not source_type:
        return ""
    model = _model(source_type)
    if model is not None:
        return f"{DOCUMENT_LABELS[source_type]} {number or source_id}".strip()
    if source_type == "demo":
        return str(OTHER_SOURCES.get((source_type, source_id), OTHER_SOURCES[("demo", "")]))
    if source_type == "stock.move":
        return gettext(str(STOCK_MOVE)) % {"id": source_id}
    if source_type == "stock.opening":
        return gettext(str(OPENING_BALANCE)) % {"id": source_id}
    if source_type == "production.time":
        return gettext(str(TIME_BOOKING)) % {"id": source_id}
    return f"{source_type} {source_id}".strip()


def source_labels(pairs: Iterable[Pair]) -> dict[Pair, str]:
    """Labels for many (source type, id) pairs: the documents' numbers read once per type."""
    pairs = {
        (source_type or "", "" if source_id is None else str(source_id))
        for source_type, source_id in pairs
    }
    numbers = source_numbers(pairs)
    return {pair: source_label(*pair, number=numbers.get(pair, "")) for pair in pairs}
