"""Memos the system writes on journal entries and lines, kept as what they mean.

A generated memo is stored as a kind and its values (``memo_kind="stock_shipment"``,
``memo_args={"document": "DL-2026-000001", "item": "FG-GEARBOX", "quantity": "-3"}``), not as
text in whichever language the poster happened to use; ``memo_text`` renders it in the reader's
language, its numbers through the same filters as every page. A memo a user typed has no kind
and is shown as typed.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.templatetags.numbers import money, qty
from erp_core.documents.sources import source_label


@dataclass(frozen=True)
class Memo:
    """A generated memo: its kind (a key of ``KINDS``) and its values (strings or lists)."""

    kind: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return memo_text(self.kind, self.args)


@dataclass(frozen=True)
class Kind:
    """How a memo kind reads: a translated text with named placeholders and which are numbers."""

    text: Any
    quantities: tuple[str, ...] = ()
    amounts: tuple[str, ...] = ()


#: Each stock move reason's name, for memos listing the reasons of a batch.
REASONS = {
    "receipt": _("Receipt"),
    "issue": _("Issue"),
    "production_consumption": _("Production consumption"),
    "production_output": _("Production output"),
    "shipment": _("Shipment"),
    "adjustment": _("Adjustment"),
    "transfer": _("Transfer"),
    "revaluation": _("Revaluation"),
    "opening": _("Opening balance"),
    "cost_change": _("Standard cost change"),
    "value_adjustment": _("Value adjustment"),
}

_MOVE = ("quantity",)

KINDS: dict[str, Kind] = {
    "stock_receipt": Kind(_("Receipt %(document)s: %(item)s %(quantity)s"), _MOVE),
    "stock_issue": Kind(_("Issue %(document)s: %(item)s %(quantity)s"), _MOVE),
    "stock_production_consumption": Kind(
        _("Production consumption %(document)s: %(item)s %(quantity)s"), _MOVE
    ),
    "stock_production_output": Kind(
        _("Production output %(document)s: %(item)s %(quantity)s"), _MOVE
    ),
    "stock_shipment": Kind(_("Shipment %(document)s: %(item)s %(quantity)s"), _MOVE),
    "stock_adjustment": Kind(_("Adjustment %(document)s: %(item)s %(quantity)s"), _MOVE),
    "stock_transfer": Kind(_("Transfer %(document)s: %(item)s %(quantity)s"), _MOVE),
    "stock_batch": Kind(_("%(reasons)s %(document)s: %(count)s moves")),
    "stock_revaluation_move": Kind(_("Revaluation after backdated move %(move)s (%(item)s)")),
    "stock_revaluation": Kind(_("Revaluation after backdated moves of %(document)s")),
    "production_time": Kind(_("%(order)s operation %(sequence)s: time")),
    "production_close": Kind(_("%(order)s closed: cost variance")),
    "reversal": Kind(_("Reversal of %(number)s")),
    "rounding": Kind(_("Rounding")),
    "paid_in_capital": Kind(_("Paid-in capital received")),
    # Month-end and year-end close (books part 2)
    "year_end_profit_and_loss": Kind(_("Year-end close %(year)s: profit and loss to 4103")),
    "year_end_profit_distribution": Kind(_("Year-end close %(year)s: 4103 to 4104")),
    "month_end_overhead": Kind(_("Month-end close %(period)s: manufacturing overhead cleared")),
    "month_end_late_costs": Kind(
        _("Month-end close %(period)s: late costs of closed production orders")
    ),
    "stock_opening": Kind(_("Opening balance %(document)s: %(item)s %(quantity)s"), _MOVE),
    "grir_accrual": Kind(_("Goods received not billed at %(period)s")),
    "grir_accrual_reversal": Kind(
        _("Reversal of the accrual of goods received not billed at %(period)s")
    ),
    "count_differences_clear": Kind(_("Count differences of %(period)s cleared")),
    "stock_cost_change": Kind(_("Standard cost change %(document)s: %(item)s")),
    "stock_value_adjustment": Kind(_("Value adjustment %(document)s: %(item)s")),
}


def _value(key: str, value: Any, kind: Kind) -> str:
    if key in kind.quantities:
        return qty(value)
    if key in kind.amounts:
        return money(value)
    if key == "reasons" and isinstance(value, list | tuple):
        return gettext(", ").join(str(REASONS.get(reason, reason)) for reason in value)
    return "" if value is None else str(value)


def memo_text(kind_code: str, args: Mapping[str, Any] | None, memo: str = "") -> str:
    """The memo in the active language: a known kind rendered, else ``memo`` as typed."""
    kind = KINDS.get(kind_code or "")
    if kind is None:
        return memo
    args = dict(args or {})
    if not args.get("document") and args.get("source_type"):
        args["document"] = source_label(args["source_type"], args.get("source_id", ""))
    args.pop("source_type", None)
    args.pop("source_id", None)
    text = str(kind.text)
    try:
        rendered = text % {key: _value(key, value, kind) for key, value in args.items()}
    except (KeyError, TypeError, ValueError):
        return memo or text
    # A move without a source document leaves its placeholder empty.
    return " ".join(rendered.replace(" :", ":").split()).replace(" ：", "：")


def memo_parts(memo: "str | Memo") -> tuple[str, str, dict]:
    """(memo, memo_kind, memo_args) to store for a typed text or a generated ``Memo``."""
    if isinstance(memo, Memo):
        return "", memo.kind, dict(memo.args)
    return (memo or "").strip(), "", {}
