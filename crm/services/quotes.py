"""Quotes: priced from the ERP's price lists, promised per line from the ERP's promise dates,
approved when a discount passes the threshold, and accepted exactly once — which asks the ERP
for the sales order (``crm.quote_accepted``)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.numbers import parse_decimal
from crm.models import Quote, QuoteLine
from crm.services.common import cleaned, number_for, refuse_unknown, temporary_number
from erp_core.documents.amounts import checked_totals, line_amounts
from erp_core.models import Item, User
from erp_core.sales.selectors import price_for
from erp_core.scheduling.promise import promise_dates
from integration import topics
from integration.bus import publish

QUOTE_FIELDS = (
    "account",
    "opportunity",
    "contact",
    "price_list",
    "date",
    "valid_until",
    "requested_date",
    "language",
    "notes",
    "owner",
)
APPROVE_PERMISSION = "crm.approve_quote"
DEFAULT_VALIDITY_DAYS = 30
EDITABLE = (Quote.Status.DRAFT, Quote.Status.AWAITING_APPROVAL, Quote.Status.APPROVED)
ACCEPTABLE = (Quote.Status.DRAFT, Quote.Status.APPROVED)


def approval_threshold() -> Decimal:
    """The largest discount % a salesperson gives without approval (setting
    ``CRM_DISCOUNT_APPROVAL_PERCENT``, 10 by default)."""
    return Decimal(str(getattr(settings, "CRM_DISCOUNT_APPROVAL_PERCENT", "10")))


def _line_field(name: str):
    return QuoteLine._meta.get_field(name)


def _build_lines(quote: Quote, lines: list[dict]) -> list[QuoteLine]:
    """Price, tax and promise each line; refuse a bad one with its line's number."""
    if not lines:
        raise ValidationError({"lines": _("A quote needs at least one line.")})
    built: list[QuoteLine] = []
    errors: dict[str, list] = {}
    for number, row in enumerate(lines, start=1):
        try:
            item = row.get("item")
            if not isinstance(item, Item):
                item = Item.objects.select_related("vat").filter(pk=row.get("item_id") or 0).first()
            if item is None:
                raise ValidationError({"item": _("Unknown item.")})
            quantity = parse_decimal(
                row.get("quantity"), field="quantity", bounds=_line_field("quantity")
            )
            price = row.get("unit_price")
            if price in (None, ""):
                price = price_for(
                    item=item, quantity=quantity, date=quote.date, price_list=quote.price_list
                )
            price = parse_decimal(price, field="unit_price", bounds=_line_field("unit_price"))
            discount = parse_decimal(
                row.get("discount_percent") or "0",
                field="discount_percent",
                bounds=_line_field("discount_percent"),
            )
        except ValidationError as error:
            errors[f"lines.{number}"] = error.messages
            continue
        rate = item.vat.rate if item.vat is not None else Decimal("0")
        amounts = line_amounts(
            quantity=quantity, unit_price=price, discount_percent=discount, tax_rate=rate
        )
        built.append(
            QuoteLine(
                line_no=number,
                item=item,
                description=cleaned(row.get("description") or "")[:255],
                quantity=quantity,
                unit_price=price,
                discount_percent=discount,
                tax_code=item.vat,
                tax_rate=rate,
                net_amount=amounts.net,
                tax_amount=amounts.tax,
                gross_amount=amounts.gross,
            )
        )
    if errors:
        raise ValidationError(errors)
    promises = promise_dates(
        lines=[(line.item_id, line.quantity) for line in built],
        requested_date=quote.requested_date,
    )
    for line, promise in zip(built, promises, strict=True):
        line.promised_date = promise.date
        line.promise_basis = promise.basis
    return built


def _save_lines(quote: Quote, lines: list[dict]) -> None:
    built = _build_lines(quote, lines)
    sums = checked_totals(built)
    quote.lines.all().delete()
    for line in built:
        line.quote = quote
    QuoteLine.objects.bulk_create(built)
    quote.net_amount, quote.tax_amount, quote.gross_amount = sums.net, sums.tax, sums.gross
    quote.max_discount_percent = max(line.discount_percent for line in built)
    if quote.max_discount_percent > approval_threshold():
        quote.status = Quote.Status.AWAITING_APPROVAL
        quote.approved_by = None
    else:
        quote.status = Quote.Status.DRAFT
    quote.save()


def _check_refs(quote: Quote) -> None:
    if quote.opportunity is not None and quote.opportunity.account_id != quote.account_id:
        raise ValidationError({"opportunity": _("The opportunity is another account's.")})
    if quote.contact is not None and quote.contact.account_id != quote.account_id:
        raise ValidationError({"contact": _("The contact is another account's.")})


@transaction.atomic
def quote_create(*, lines: list[dict], **fields) -> Quote:
    """Draft a quote: prices from the price list (or the default one, or the list price) unless
    given, VAT from each item's code, a promised date per line. A discount above the
    threshold leaves it awaiting approval."""
    refuse_unknown(fields, QUOTE_FIELDS)
    fields = {name: cleaned(value) for name, value in fields.items()}
    fields.setdefault("date", timezone.localdate())
    if fields.get("valid_until") is None:
        fields["valid_until"] = fields["date"] + dt.timedelta(days=DEFAULT_VALIDITY_DAYS)
    quote = Quote(number=temporary_number(), **fields)
    quote.full_clean()
    _check_refs(quote)
    quote.save()
    quote.number = number_for(Quote.NUMBER_PREFIX, year=quote.date.year, pk=quote.pk)
    _save_lines(quote, lines)
    return quote


@transaction.atomic
def quote_update(*, quote: Quote, lines: list[dict] | None = None, **fields) -> Quote:
    """Change a quote not yet accepted or rejected; new lines are priced and promised again,
    and a changed quote needs its approval again when its discount still passes the
    threshold."""
    refuse_unknown(fields, QUOTE_FIELDS)
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status not in EDITABLE:
        raise Conflict(_("An accepted or rejected quote is no longer changed."), code="locked")
    for name, value in fields.items():
        setattr(quote, name, cleaned(value))
    quote.full_clean()
    _check_refs(quote)
    if lines is None:
        lines = [
            {
                "item": line.item,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "description": line.description,
            }
            for line in quote.lines.select_related("item", "item__vat")
        ]
    _save_lines(quote, lines)
    return quote


@transaction.atomic
def quote_approve(*, quote: Quote, actor: User) -> Quote:
    """Approve a discount above the threshold (someone holding ``crm.approve_quote``)."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if not actor.has_perm(APPROVE_PERMISSION):
        raise Conflict(_("You may not approve discounts."), code="permission_denied")
    if quote.status != Quote.Status.AWAITING_APPROVAL:
        raise Conflict(_("Only a quote awaiting approval is approved."), code="invalid_status")
    quote.status = Quote.Status.APPROVED
    quote.approved_by = actor
    quote.save(update_fields=["status", "approved_by"])
    return quote


@transaction.atomic
def quote_reject(*, quote: Quote) -> Quote:
    """The customer declined: the quote is closed."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status not in EDITABLE:
        raise Conflict(_("Only an open quote is rejected."), code="invalid_status")
    quote.status = Quote.Status.REJECTED
    quote.save(update_fields=["status"])
    return quote


@transaction.atomic
def quote_accept(*, quote: Quote, actor: User | None) -> Quote:
    """The customer accepted: mark the quote accepted and ask the ERP for the sales order.

    The row is locked first, so of two acceptances at the same moment one waits, then finds
    the quote accepted and is refused (409): exactly one ``crm.quote_accepted`` is published.
    """
    quote = Quote.objects.select_for_update().select_related("account").get(pk=quote.pk)
    if quote.status == Quote.Status.ACCEPTED:
        raise Conflict(_("This quote was accepted already."), code="already_accepted")
    if quote.status == Quote.Status.AWAITING_APPROVAL:
        raise Conflict(
            _("Its discount needs approval before the quote is accepted."),
            code="approval_required",
        )
    if quote.status not in ACCEPTABLE:
        raise Conflict(_("A rejected quote is not accepted."), code="invalid_status")
    if quote.valid_until < timezone.localdate():
        raise Conflict(
            _("The quote expired on %(date)s.") % {"date": quote.valid_until}, code="expired"
        )
    if quote.account.partner_id is None:
        raise Conflict(
            _("The ERP has not registered this customer yet: try again in a moment."),
            code="customer_pending",
        )
    lines = list(quote.lines.order_by("line_no"))
    if not lines:
        raise Conflict(_("A quote without lines is not accepted."), code="no_lines")
    promised = [line.promised_date for line in lines if line.promised_date]
    wanted = max(
        [*promised, *([quote.requested_date] if quote.requested_date else [])], default=None
    )
    quote.status = Quote.Status.ACCEPTED
    quote.accepted_at = timezone.now()
    quote.accepted_by = actor
    quote.save(update_fields=["status", "accepted_at", "accepted_by"])
    payload = {
        "quote_id": quote.pk,
        "customer_id": quote.account.partner_id,
        "lines": [
            {
                "item_id": line.item_id,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "discount_percent": str(line.discount_percent),
            }
            for line in lines
        ],
    }
    if wanted is not None:
        payload["requested_date"] = wanted.isoformat()
    publish(topic=topics.quote_accepted, payload=payload)
    return quote
