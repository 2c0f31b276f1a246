"""What posting a billing document does besides its status: the journal lines, the three-way
match at posting time and a credit note's settlement against its original (the invoiced or
billed quantities on the source lines are ``sources.take_invoiced``).
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.templatetags.numbers import qty
from erp_core.billing.models import Invoice, InvoiceLine
from erp_core.billing.services.common import entry_lines, store
from erp_core.billing.services.lines import bill_match_status, credited_quantity, matched
from erp_core.ledger.models import Account, PostingKind
from erp_core.ledger.money import money
from erp_core.ledger.selectors import item_posting_category, posting_accounts
from erp_core.purchasing.models import PurchaseReceiptLine
from erp_core.stock.posting import difference_kind
from erp_core.stock.services import ValueLine
from erp_core.valuation import CostingMethod


def _default_rule(kind: str):
    return posting_accounts(kind=kind)


def _category(line: InvoiceLine) -> str | None:
    return item_posting_category(line.item)


def _stocked(line: InvoiceLine) -> bool:
    """Whether the line bills goods booked into stock through 1401 (a stocked receipt line, or
    a credit note of such a line)."""
    source = line.credited_line if line.credited_line_id else line
    if source.receipt_line_id is None:
        return False
    return source.receipt_line.stock_move_id is not None


def _at_actual_cost(line: InvoiceLine) -> bool:
    """Whether a stocked line's item is valued at an actual cost (moving average, FIFO): what
    its supplier bills beyond or credits below the receipt's price re-values the goods."""
    return line.item is not None and line.item.costing_method != CostingMethod.STANDARD


def value_adjustments(invoice: Invoice, lines: list[InvoiceLine], *, undo: bool = False):
    """The value-only stock moves a supplier document makes (``stock_value_adjust`` lines).

    A bill's price variance and a credit note's amount on goods received at an actual cost
    re-value those goods (the share still on hand) or the cost of sales (the share gone): the
    bill clears the whole amount through 1401 and the stock ledger carries it on from there.
    ``undo`` gives the opposite moves (the document unposted).
    """
    if invoice.is_customer_side:
        return []
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    if undo:
        sign = -sign
    found = []
    for line in lines:
        if line.account_id or not _stocked(line) or not _at_actual_cost(line):
            continue
        source = line.credited_line if line.credited_line_id else line
        if invoice.is_credit_note:
            amount = line.net_amount
        elif line.order_unit_price is not None:
            amount = line.variance_amount or Decimal(0)
        else:
            continue
        if not amount:
            continue
        move = source.receipt_line.stock_move
        found.append(
            ValueLine(
                item=line.item,
                warehouse=move.warehouse,
                amount=sign * amount,
                basis=line.quantity,
            )
        )
    return found


def posting_lines(invoice: Invoice, lines: list[InvoiceLine]) -> list:
    """The journal lines of a document, debit-positive amounts per account then the partner's.

    Customer invoice: Dr receivable gross (partner) / Cr revenue net / Cr output VAT tax.
    Supplier bill: Dr 材料采购 at the order's value / Dr or Cr the price variance / Dr input VAT /
    Cr payable gross (partner). A credit note posts its kind's lines in red (红字): negative
    amounts on the original's sides (Cr 6001 −net, Cr 22210102 −VAT, Dr 1122 −gross).
    """
    amounts: dict[Account, Decimal] = defaultdict(Decimal)
    customer = invoice.is_customer_side
    sign = Decimal(-1) if invoice.is_credit_note else Decimal(1)
    if customer:
        receivable = _default_rule(PostingKind.SALES_REVENUE).debit
        vat = _default_rule(PostingKind.OUTPUT_VAT).credit
        for line in lines:
            revenue = (
                line.account
                or posting_accounts(
                    kind=PostingKind.SALES_REVENUE, category_code=_category(line)
                ).credit
            )
            amounts[revenue] -= sign * line.net_amount
            amounts[vat] -= sign * line.tax_amount
        partner_lines = [(receivable, sign * invoice.gross_amount, invoice.partner)]
    else:
        payable = _default_rule(PostingKind.PURCHASE_BILL).credit
        vat = _default_rule(PostingKind.INPUT_VAT).debit
        for line in lines:
            category = _category(line)
            if not line.account_id and _stocked(line) and _at_actual_cost(line):
                # Goods at an actual cost: the bill clears its whole amount through 1401 (a
                # credit note in red), and the stock ledger's value adjustment takes the price
                # difference or the credit from 1401 to the goods on hand and the cost of sales
                # (``value_adjustments``): nothing is left on 1401 or 1404.
                clearing = posting_accounts(
                    kind=PostingKind.PURCHASE_BILL, category_code=category
                ).debit
                amounts[clearing] += sign * line.net_amount
            elif invoice.is_credit_note and not line.account_id and _stocked(line):
                # The supplier credits the price of goods received and billed: the goods stay
                # in stock and the receipt stays billed (1401 is not reopened). The credit
                # lowers a standard-cost item's price difference (1404).
                difference = posting_accounts(
                    kind=difference_kind(line.item.costing_method), category_code=category
                ).debit
                amounts[difference] += sign * line.net_amount
            elif line.order_unit_price is not None and not line.account_id and _stocked(line):
                clearing = posting_accounts(
                    kind=PostingKind.PURCHASE_BILL, category_code=category
                ).debit
                variance = posting_accounts(
                    kind=PostingKind.PURCHASE_PRICE_VARIANCE, category_code=category
                ).debit
                amounts[clearing] += sign * line.order_amount
                amounts[variance] += sign * line.variance_amount
            else:
                # A line with no stock behind it (freight, a service, a received service)
                # cleared nothing into 1401: it is an expense or a cost, by the line's account
                # or the ``purchase_expense`` rule of its category.
                account = (
                    line.account
                    or posting_accounts(
                        kind=PostingKind.PURCHASE_EXPENSE, category_code=category
                    ).debit
                )
                amounts[account] += sign * line.net_amount
            amounts[vat] += sign * line.tax_amount
        partner_lines = [(payable, -sign * invoice.gross_amount, invoice.partner)]
    return entry_lines(amounts, partner_amounts=partner_lines, red=invoice.is_credit_note)


def rematch(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    """Refresh a bill's three-way match from the order prices as they stand when it posts."""
    changed = False
    for line in lines:
        if not line.receipt_line_id:
            continue
        price = line.receipt_line.order_line.net_unit_price.quantize(Decimal("0.000001"))
        before = (line.order_unit_price, line.order_amount, line.variance_amount)
        line.order_unit_price = price
        matched(line)
        if before != (line.order_unit_price, line.order_amount, line.variance_amount):
            line.save(
                update_fields=[
                    "order_unit_price",
                    "order_amount",
                    "variance_amount",
                    "match_status",
                ]
            )
            changed = True
    changed = _clear_residue(lines) or changed
    status = bill_match_status(lines)
    if changed or status != invoice.match_status:
        store(invoice, match_status=status)


def _clear_residue(lines: list[InvoiceLine]) -> bool:
    """The bill that completes a receipt line clears what is left of its value in 1401.

    Each part of a receipt billed in parts is priced to the cent on its own (10 × 1.005 billed
    3 + 3 + 4: 3.02 + 3.02 + 4.02 = 10.06 against 10.05 received): the last part takes the
    receipt's value less what the earlier parts cleared, and the cent goes to its price
    variance instead of staying on 1401. Runs after ``take_invoiced`` (the billed quantities
    are counted and the receipt lines locked).
    """
    parts: dict[int, list[InvoiceLine]] = defaultdict(list)
    for line in lines:
        if line.receipt_line_id and line.order_unit_price is not None:
            parts[line.receipt_line_id].append(line)
    if not parts:
        return False
    done = {
        row.pk: row
        for row in PurchaseReceiptLine.objects.filter(
            pk__in=list(parts), billed_quantity=F("quantity"), stock_move__isnull=False
        ).select_related("stock_move")
    }
    if not done:
        return False
    earlier = {
        row["receipt_line_id"]: row
        for row in InvoiceLine.objects.filter(
            receipt_line_id__in=list(done),
            invoice__kind=Invoice.Kind.SUPPLIER_BILL,
            invoice__status=Invoice.Status.APPROVED,
        )
        .exclude(invoice_id=lines[0].invoice_id)
        .values("receipt_line_id")
        .annotate(total=Sum("order_amount"), parts=Count("pk"))
        .order_by()
    }
    changed = False
    for pk, row in done.items():
        ours = parts[pk]
        received = row.stock_move.receipt_value
        if received is None:
            continue
        other = earlier.get(pk, {"total": 0, "parts": 0})
        before = money(Decimal(str(other["total"] or 0))) + sum(
            (line.order_amount for line in ours[:-1]), Decimal("0")
        )
        last = ours[-1]
        rest = received - before
        # Only a residue of rounding: never more than a cent per part billed.
        limit = Decimal("0.01") * (len(ours) + other["parts"])
        if rest == last.order_amount or abs(rest - last.order_amount) > limit:
            continue
        last.order_amount = rest
        last.variance_amount = last.net_amount - rest
        last.match_status = (
            Invoice.MatchStatus.MATCHED
            if last.variance_amount == 0
            else Invoice.MatchStatus.PRICE_VARIANCE
        )
        last.save(update_fields=["order_amount", "variance_amount", "match_status"])
        changed = True
    return changed


def _credit_the_rest(credit_note: Invoice, lines: list[InvoiceLine]) -> None:
    """The credit note that credits what is left of a line takes what is left of its amounts.

    Each partial note is priced to the cent on its own: three notes of one unit at 0.33 + 13 %
    each credit 0.04 of VAT and 0.37 in all, against 0.13 and 1.12 invoiced for three. The note
    that completes the line credits the line's net, VAT and gross less what the earlier posted
    notes credited, so nothing is left on the receivable, the revenue or the VAT account.
    """
    groups: dict[int, list[InvoiceLine]] = defaultdict(list)
    for line in lines:
        groups[line.credited_line_id].append(line)
    earlier = {
        row["credited_line_id"]: row
        for row in InvoiceLine.objects.filter(
            credited_line_id__in=list(groups), invoice__status=Invoice.Status.APPROVED
        )
        .exclude(invoice_id=credit_note.pk)
        .values("credited_line_id")
        .annotate(
            quantity=Sum("quantity"),
            net=Sum("net_amount"),
            tax=Sum("tax_amount"),
            order=Sum("order_amount"),
        )
        .order_by()
    }
    credited_lines = InvoiceLine.objects.in_bulk(list(groups))
    changed = False
    for pk, ours in groups.items():
        credited = credited_lines[pk]
        before = earlier.get(pk, {"quantity": 0, "net": 0, "tax": 0, "order": 0})
        quantity = Decimal(str(before["quantity"] or 0)) + sum(line.quantity for line in ours)
        if quantity != credited.quantity:
            continue
        last = ours[-1]
        net = credited.net_amount - money(Decimal(str(before["net"] or 0)))
        tax = credited.tax_amount - money(Decimal(str(before["tax"] or 0)))
        for line in ours[:-1]:
            net -= line.net_amount
            tax -= line.tax_amount
        fields = {"net_amount": net, "tax_amount": tax, "gross_amount": net + tax}
        if credited.order_amount is not None and last.order_amount is not None:
            order = credited.order_amount - money(Decimal(str(before["order"] or 0)))
            order -= sum((line.order_amount or 0 for line in ours[:-1]), Decimal("0"))
            fields.update(order_amount=order, variance_amount=net - order)
        if all(getattr(last, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(last, name, value)
        last.save(update_fields=list(fields))
        changed = True
    if changed:
        every = list(credit_note.lines.all()) if len(lines) != credit_note.lines.count() else lines
        store(
            credit_note,
            net_amount=sum((line.net_amount for line in every), Decimal("0")),
            tax_amount=sum((line.tax_amount for line in every), Decimal("0")),
            gross_amount=sum((line.gross_amount for line in every), Decimal("0")),
        )


def apply_credit_note(credit_note: Invoice, lines: list[InvoiceLine]) -> Decimal:
    """Check the credited quantities and settle the credit note against its original."""
    original = Invoice.objects.select_for_update().get(pk=credit_note.credit_note_of_id)
    if original.status != Invoice.Status.APPROVED:
        raise Conflict(
            _("%(number)s is not posted: its credit note cannot be posted.")
            % {"number": original.number},
            code="invalid_status",
        )
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        wanted[line.credited_line_id] += line.quantity
    for credited in InvoiceLine.objects.filter(pk__in=wanted):
        left = credited.quantity - credited_quantity(credited, exclude_invoice=credit_note.pk)
        if wanted[credited.pk] > left:
            raise Conflict(
                _(
                    "%(number)s line %(line)s: %(wanted)s is more than the %(left)s not yet "
                    "credited."
                )
                % {
                    "number": original.number,
                    "line": credited.line_no,
                    "wanted": qty(wanted[credited.pk]),
                    "left": qty(left),
                },
                code="over_credited",
            )
    _credit_the_rest(credit_note, lines)
    applied = min(credit_note.gross_amount, original.open_amount)
    if applied > 0:
        Invoice.objects.filter(pk=original.pk).update(
            amount_allocated=F("amount_allocated") + applied
        )
    return applied
