"""Checks shared by the billing services: numbers, partners, currency, locks and postings."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from common.limits import AMOUNT_MAX
from common.numbers import cents, parse_decimal
from erp_core.ledger.models import Account, JournalEntry
from erp_core.ledger.selectors import company_settings
from erp_core.ledger.services import LineInput, journal_entry_reverse
from erp_core.models import Partner

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def positive_amount(value, *, field: str = "amount") -> Decimal:
    """A money amount above zero and at most ``AMOUNT_MAX``, rounded to the cent."""
    number = cents(parse_decimal(value, field=field, max_value=AMOUNT_MAX))
    if number <= 0:
        raise ValidationError({field: _("The amount must be greater than zero.")})
    return number


def require_instance(value, model: type[Model], *, field: str, queryset=None):
    """``value`` as a saved ``model`` instance (an instance or a primary key), else an error."""
    if isinstance(value, model):
        return value
    if value is None or value == "":
        raise ValidationError({field: _("This field is required.")})
    manager = queryset if queryset is not None else model._default_manager
    try:
        return manager.get(pk=value)
    except (model.DoesNotExist, ValueError, TypeError):
        raise ValidationError(
            {
                field: _("%(model)s %(pk)s does not exist.")
                % {"model": model._meta.verbose_name, "pk": value}
            }
        ) from None


def require_date(value, *, field: str = "date") -> dt.date:
    """A date (not a datetime)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({field: _("Give a date.")})
    return value


def check_partner(partner: Partner, *, customer: bool) -> Partner:
    """An active partner of the right kind: a customer (or both), or a supplier (or both)."""
    if not isinstance(partner, Partner):
        raise ValidationError({"partner": _("Choose a partner.")})
    if customer and not partner.is_customer:
        raise ValidationError(
            {"partner": _("%(partner)s is not a customer.") % {"partner": partner}}
        )
    if not customer and not partner.is_supplier:
        raise ValidationError(
            {"partner": _("%(partner)s is not a supplier.") % {"partner": partner}}
        )
    if not partner.is_active:
        raise ValidationError({"partner": _("%(partner)s is inactive.") % {"partner": partner}})
    return partner


def check_currency(partner: Partner, currency: str | None) -> str:
    """The document's currency: only the base currency of the books (CNY) for now."""
    base = company_settings().base_currency
    if currency in (None, ""):
        currency = partner.currency.code if partner.currency_id else base
    currency = str(currency).strip().upper()
    if currency != base:
        raise ValidationError(
            {
                "currency": _(
                    "Only the base currency %(base)s is supported for invoices and payments; "
                    "%(currency)s is not."
                )
                % {"base": base, "currency": currency}
            }
        )
    return currency


def check_memo(memo: str | None) -> str:
    """A memo of at most 255 characters."""
    memo = (memo or "").strip()
    if len(memo) > 255:
        raise ValidationError({"memo": _("At most 255 characters.")})
    return memo


def _line(account: Account, amount: Decimal, partner=None, *, red: bool = False) -> LineInput:
    """A debit-positive ``amount`` as a line; ``red``: on the opposite side, negative (红字)."""
    if red:
        if amount > 0:
            return LineInput(account=account, credit=-amount, partner=partner, red=True)
        return LineInput(account=account, debit=amount, partner=partner, red=True)
    if amount > 0:
        return LineInput(account=account, debit=amount, partner=partner)
    return LineInput(account=account, credit=-amount, partner=partner)


def entry_lines(
    amounts: dict[Account, Decimal], *, partner_amounts: Iterable[tuple] = (), red: bool = False
) -> list[LineInput]:
    """Journal lines from debit-positive amounts per account (a negative amount is a credit),
    then the partner's lines ``(account, debit-positive amount, partner)``.

    ``red`` (a credit note, 红字): each amount is posted as a negative amount on the side its
    original took — a revenue reversed is a negative credit to 6001, not a debit — so the
    accounts' debit and credit totals are not overstated.
    """
    lines: list[LineInput] = []
    merged: dict[Account, Decimal] = defaultdict(Decimal)
    for account, amount in amounts.items():
        merged[account] += amount
    for account, amount in sorted(merged.items(), key=lambda pair: pair[0].code):
        if amount:
            lines.append(_line(account, amount, red=red))
    for account, amount, partner in partner_amounts:
        if amount:
            lines.append(_line(account, amount, partner, red=red))
    return lines


def reverse_entry(*, entry: JournalEntry | None, actor, date: dt.date | None) -> None:
    """Reverse a document's posted entry on ``date`` (by default today, never before it)."""
    if entry is None:
        return
    day = date or max(timezone.localdate(), entry.date)
    journal_entry_reverse(entry=entry, date=day, actor=actor)


def store(document: Model, **fields) -> None:
    """Write ``fields`` to the row and the instance without a revision of its own.

    The status step that follows (``mark_approved``…) saves the revision, and its history
    record copies the instance, so it shows these fields too.
    """
    for name, value in fields.items():
        setattr(document, name, value)
    type(document).objects.filter(pk=document.pk).update(**fields)
