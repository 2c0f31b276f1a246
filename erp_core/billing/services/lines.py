"""The lines of invoices, bills and credit notes: validated, priced and three-way matched.

A line comes from a shipped delivery line (priced from the sales order line), a received
receipt line (the supplier's price, matched against the order's), a line of the credited
document, or an item (a free line). Every bad line is named in one ``ValidationError``.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.limits import PRICE_MAX, QUANTITY_MAX
from common.numbers import cents, parse_decimal
from common.templatetags.numbers import qty
from erp_core.billing.models import Invoice, InvoiceLine
from erp_core.billing.services.common import HUNDRED, require_date, require_instance
from erp_core.documents.amounts import checked_totals, line_amounts
from erp_core.documents.models import APPROVED
from erp_core.documents.services import days_after
from erp_core.ledger.models import Account
from erp_core.models import Item, Partner, TaxCode
from erp_core.purchasing.models import PurchaseReceipt, PurchaseReceiptLine
from erp_core.sales.models import Delivery, DeliveryLine

Kind = Invoice.Kind
Match = Invoice.MatchStatus
MAX_LINES = 500


@dataclass
class LineErrors:
    """Line errors collected as "Line n: …", raised together."""

    messages: list[str] = field(default_factory=list)

    def add(self, index: int, text: str) -> None:
        """Note an error of line ``index``."""
        self.messages.append(_("Line %(n)d: %(error)s") % {"n": index, "error": text})

    def raise_any(self) -> None:
        """Raise the errors noted, if any, as one ``ValidationError`` on ``lines``."""
        if self.messages:
            raise ValidationError({"lines": self.messages})


def _field_error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _quantity(raw: Mapping, default: Decimal | None) -> Decimal:
    value = raw.get("quantity")
    if value in (None, ""):
        if default is None:
            raise ValidationError({"quantity": _("Give a quantity.")})
        if default <= 0:
            raise ValidationError({"quantity": _("Nothing is left to bill on this line.")})
        return default
    quantity = parse_decimal(value, field="quantity", max_value=QUANTITY_MAX)
    if quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be greater than zero.")})
    if quantity != quantity.quantize(Decimal("0.000001")):
        raise ValidationError({"quantity": _("At most six decimal places.")})
    return quantity


def _price(raw: Mapping, name: str, default: Decimal | None) -> Decimal:
    value = raw.get(name)
    if value in (None, ""):
        if default is None:
            raise ValidationError({name: _("Give a unit price.")})
        return default
    price = parse_decimal(value, field=name, max_value=PRICE_MAX)
    if price < 0:
        raise ValidationError({name: _("Must not be negative.")})
    return price.quantize(Decimal("0.000001"))


def _discount(raw: Mapping) -> Decimal:
    value = raw.get("discount_percent")
    if value in (None, ""):
        return Decimal("0")
    discount = parse_decimal(value, field="discount_percent")
    if not Decimal("0") <= discount <= HUNDRED:
        raise ValidationError({"discount_percent": _("Give a percentage from 0 to 100.")})
    return discount


def _tax(raw: Mapping, default_code: TaxCode | None, default_rate: Decimal):
    value = raw.get("tax_code")
    if value in (None, ""):
        return default_code, (default_code.rate if default_code else default_rate)
    code = require_instance(value, TaxCode, field="tax_code")
    if not code.is_active:
        raise ValidationError(
            {"tax_code": _("The VAT code %(code)s is inactive.") % {"code": code}}
        )
    return code, code.rate


def _account(raw: Mapping) -> Account | None:
    value = raw.get("account")
    if value in (None, ""):
        return None
    if isinstance(value, str):
        # A string is an account code (codes are digits too), an int a primary key.
        account = Account.objects.filter(code=value.strip()).first()
    else:
        account = require_instance(value, Account, field="account")
    if account is None or not (account.is_postable and account.is_active):
        raise ValidationError({"account": _("Choose an active account without sub-accounts.")})
    return account


def _priced(line: InvoiceLine) -> InvoiceLine:
    amounts = line_amounts(
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount_percent=line.discount_percent,
        tax_rate=line.tax_rate,
    )
    line.net_amount, line.tax_amount, line.gross_amount = amounts.net, amounts.tax, amounts.gross
    return line


def _from_delivery_line(raw: Mapping, partner: Partner) -> InvoiceLine:
    delivery_line = require_instance(
        raw["delivery_line"],
        DeliveryLine,
        field="delivery_line",
        queryset=DeliveryLine.objects.select_related(
            "delivery", "sales_order_line__tax_code", "item"
        ),
    )
    delivery = delivery_line.delivery
    if delivery.status != Delivery.Status.APPROVED:
        raise ValidationError(
            _("delivery %(number)s is not shipped.") % {"number": delivery.number}
        )
    if delivery.customer_id != partner.pk:
        raise ValidationError(
            _("delivery %(number)s is another customer's.") % {"number": delivery.number}
        )
    order_line = delivery_line.sales_order_line
    line = InvoiceLine(
        delivery_line=delivery_line,
        item=delivery_line.item,
        description=order_line.description or delivery_line.item.name,
        quantity=_quantity(raw, delivery_line.uninvoiced_quantity),
        unit_price=order_line.unit_price,
        discount_percent=order_line.discount_percent,
        tax_code=order_line.tax_code,
        tax_rate=order_line.tax_rate,
    )
    return _priced(line)


def _from_receipt_line(raw: Mapping, partner: Partner) -> InvoiceLine:
    receipt_line = require_instance(
        raw["receipt_line"],
        PurchaseReceiptLine,
        field="receipt_line",
        queryset=PurchaseReceiptLine.objects.select_related(
            "receipt", "order_line__tax_code", "item"
        ),
    )
    receipt = receipt_line.receipt
    if receipt.status != PurchaseReceipt.Status.APPROVED:
        raise ValidationError(_("receipt %(number)s is not received.") % {"number": receipt.number})
    if receipt.supplier_id != partner.pk:
        raise ValidationError(
            _("receipt %(number)s is another supplier's.") % {"number": receipt.number}
        )
    order_line = receipt_line.order_line
    order_price = order_line.net_unit_price.quantize(Decimal("0.000001"))
    tax_code, tax_rate = _tax(raw, order_line.tax_code, order_line.tax_rate)
    line = InvoiceLine(
        receipt_line=receipt_line,
        item=receipt_line.item,
        description=raw.get("description") or order_line.description or receipt_line.item.name,
        quantity=_quantity(raw, receipt_line.unbilled_quantity),
        unit_price=_price(raw, "unit_price", order_price),
        discount_percent=Decimal("0"),
        tax_code=tax_code,
        tax_rate=tax_rate,
        order_unit_price=order_price,
    )
    return matched(_priced(line))


def matched(line: InvoiceLine) -> InvoiceLine:
    """The three-way match of a bill line: the order's price × the quantity against the bill."""
    line.order_amount = cents(line.quantity * line.order_unit_price)
    line.variance_amount = line.net_amount - line.order_amount
    line.match_status = Match.MATCHED if line.variance_amount == 0 else Match.PRICE_VARIANCE
    return line


def _free_line(raw: Mapping, kind: str) -> InvoiceLine:
    item = require_instance(raw["item"], Item, field="item")
    tax_code, tax_rate = _tax(raw, item.vat, Decimal("0"))
    description = str(raw.get("description") or item.name).strip()[:255]
    line = InvoiceLine(
        item=item,
        description=description,
        quantity=_quantity(raw, None),
        unit_price=_price(raw, "unit_price", None),
        discount_percent=_discount(raw),
        tax_code=tax_code,
        tax_rate=tax_rate,
        account=_account(raw),
        match_status=Match.NO_RECEIPT if kind == Kind.SUPPLIER_BILL else Match.NONE,
    )
    return _priced(line)


def _credit_line(raw: Mapping, original: Invoice) -> InvoiceLine:
    credited = require_instance(
        raw["credited_line"],
        InvoiceLine,
        field="credited_line",
        queryset=InvoiceLine.objects.select_related("item", "tax_code"),
    )
    if credited.invoice_id != original.pk:
        raise ValidationError(
            _("line %(line)s is not a line of %(number)s.")
            % {"line": credited.pk, "number": original.number}
        )
    remaining = credited.quantity - credited_quantity(credited)
    line = InvoiceLine(
        credited_line=credited,
        item=credited.item,
        description=credited.description,
        quantity=_quantity(raw, remaining),
        unit_price=credited.unit_price,
        discount_percent=credited.discount_percent,
        tax_code=credited.tax_code,
        tax_rate=credited.tax_rate,
        account=credited.account,
        order_unit_price=credited.order_unit_price,
    )
    _priced(line)
    if line.order_unit_price is not None:
        line.order_amount = cents(line.quantity * line.order_unit_price)
        line.variance_amount = line.net_amount - line.order_amount
    return line


def credited_quantity(line: InvoiceLine, *, exclude_invoice: int | None = None) -> Decimal:
    """How much of ``line`` posted credit notes have credited already."""
    qs = InvoiceLine.objects.filter(credited_line=line, invoice__status=APPROVED)
    if exclude_invoice is not None:
        qs = qs.exclude(invoice_id=exclude_invoice)
    return qs.aggregate(total=Sum("quantity"))["total"] or Decimal("0")


SOURCES = ("delivery_line", "receipt_line", "credited_line", "item")
ALLOWED_SOURCES = {
    Kind.CUSTOMER_INVOICE: ("delivery_line", "item"),
    Kind.SUPPLIER_BILL: ("receipt_line", "item"),
    Kind.CUSTOMER_CREDIT_NOTE: ("credited_line",),
    Kind.SUPPLIER_CREDIT_NOTE: ("credited_line",),
}


def build_lines(
    *, kind: str, partner: Partner, lines: Iterable[Mapping], original: Invoice | None = None
) -> list[InvoiceLine]:
    """Validate line inputs and price them; every bad line is named in one error."""
    if lines is None or isinstance(lines, str | bytes | Mapping):
        raise ValidationError({"lines": _("Give a list of lines.")})
    lines = list(lines)
    if not lines:
        raise ValidationError({"lines": _("A document has at least one line.")})
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("At most %(n)d lines.") % {"n": MAX_LINES}})
    errors = LineErrors()
    built: list[InvoiceLine] = []
    allowed = ALLOWED_SOURCES[kind]
    for index, raw in enumerate(lines, start=1):
        if not isinstance(raw, Mapping):
            errors.add(index, _("not a line."))
            continue
        given = [name for name in SOURCES if raw.get(name) not in (None, "")]
        if len(given) != 1 or given[0] not in allowed:
            errors.add(
                index,
                _("give exactly one of: %(fields)s.") % {"fields": ", ".join(allowed)},
            )
            continue
        try:
            if given[0] == "delivery_line":
                line = _from_delivery_line(raw, partner)
            elif given[0] == "receipt_line":
                line = _from_receipt_line(raw, partner)
            elif given[0] == "credited_line":
                line = _credit_line(raw, original)
            else:
                line = _free_line(raw, kind)
        except ValidationError as exc:
            errors.add(index, _field_error_text(exc))
            continue
        if line.net_amount >= Decimal("1e15"):
            errors.add(index, _("the amount is too large."))
            continue
        line.line_no = index
        built.append(line)
    errors.raise_any()
    _check_quantities(built, errors)
    errors.raise_any()
    return built


def _check_quantities(lines: list[InvoiceLine], errors: LineErrors) -> None:
    """The lines of one document together stay within what is left to invoice, bill or credit."""
    wanted: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    first_line: dict[tuple[str, int], int] = {}
    limits: dict[tuple[str, int], Decimal] = {}
    for line in lines:
        if line.delivery_line_id:
            key = ("delivery_line", line.delivery_line_id)
            limits[key] = line.delivery_line.uninvoiced_quantity
        elif line.receipt_line_id:
            key = ("receipt_line", line.receipt_line_id)
            limits[key] = line.receipt_line.unbilled_quantity
        elif line.credited_line_id:
            key = ("credited_line", line.credited_line_id)
            limits[key] = line.credited_line.quantity - credited_quantity(line.credited_line)
        else:
            continue
        wanted[key] += line.quantity
        first_line.setdefault(key, line.line_no)
    messages = {
        "delivery_line": _("%(wanted)s is more than the %(left)s shipped and not yet invoiced."),
        "receipt_line": _("%(wanted)s is more than the %(left)s received and not yet billed."),
        "credited_line": _("%(wanted)s is more than the %(left)s not yet credited."),
    }
    for key, quantity in wanted.items():
        if quantity > limits[key]:
            errors.add(
                first_line[key],
                messages[key[0]] % {"wanted": qty(quantity), "left": qty(limits[key])},
            )


def bill_match_status(lines: list[InvoiceLine]) -> str:
    """A bill's match: no receipt if any line has none, else a variance if any line has one."""
    statuses = {line.match_status for line in lines}
    if Match.NO_RECEIPT in statuses:
        return Match.NO_RECEIPT
    if Match.PRICE_VARIANCE in statuses:
        return Match.PRICE_VARIANCE
    return Match.MATCHED


def write_lines(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    """Replace the invoice's lines, and its totals and match status with them."""
    total = checked_totals(lines)
    invoice.lines.all().delete()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    invoice.net_amount, invoice.tax_amount, invoice.gross_amount = total.net, total.tax, total.gross
    invoice.match_status = (
        bill_match_status(lines) if invoice.kind == Kind.SUPPLIER_BILL else Match.NONE
    )


def supplier_number(number: str | None, *, kind: str, partner: Partner, exclude: int | None):
    """The supplier's own invoice number: required on a bill, unique per supplier and kind."""
    number = (number or "").strip()
    if len(number) > 64:
        raise ValidationError({"supplier_invoice_number": _("At most 64 characters.")})
    if kind == Kind.SUPPLIER_BILL and not number:
        raise ValidationError(
            {"supplier_invoice_number": _("Give the supplier's own number of its invoice.")}
        )
    if number:
        clash = Invoice.objects.filter(
            partner=partner, kind=kind, supplier_invoice_number=number
        ).exclude(status=Invoice.Status.VOIDED)
        if exclude is not None:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            raise Conflict(
                _("%(partner)s's invoice %(number)s is entered already as %(ours)s.")
                % {"partner": partner, "number": number, "ours": clash.first().number},
                code="duplicate",
            )
    return number


def due_date_for(date: dt.date, due_date: dt.date | None, partner: Partner) -> dt.date:
    """The due date given (not before the date), else the date plus the payment terms."""
    if due_date in (None, ""):
        return days_after(date, partner.payment_terms_days, field="due_date")
    due_date = require_date(due_date, field="due_date")
    if due_date < date:
        raise ValidationError({"due_date": _("The due date cannot be before the date.")})
    return due_date
