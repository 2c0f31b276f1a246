"""The lines of a journal entry: what callers give (``LineInput``) and how they are checked.

Shared by every entry service; amounts are rounded to the cent, accounts must be postable
and active.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.limits import AMOUNT_MAX
from erp_core.ledger.memos import Memo, memo_parts
from erp_core.ledger.models import Account, JournalEntry, JournalLine
from erp_core.ledger.money import ZERO, money
from erp_core.models import Partner


@dataclass(frozen=True)
class LineInput:
    """One line given to the entry services: a positive debit or a positive credit."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    partner: Partner | None = None
    memo: str | Memo = ""
    # 红字: a negative amount on the side the original took (a credit note's revenue is a
    # negative credit to 6001, so revenue and output VAT totals are not overstated).
    red: bool = False


LineLike = LineInput | Mapping


def _resolve_account(value: object) -> Account | None:
    """An Account from an instance, a primary key or a code."""
    if isinstance(value, Account):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Account.objects.filter(pk=value).first()
    if isinstance(value, str) and value.strip():
        return Account.objects.filter(code=value.strip()).first()
    return None


def _resolve_partner(value: object) -> Partner | None:
    """A Partner from an instance or a primary key; ``None`` for nothing."""
    if value is None or isinstance(value, Partner):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        partner = Partner.objects.filter(pk=value).first()
        if partner is not None:
            return partner
    raise ValueError("unknown partner")


def _clean_lines(lines: Iterable[LineLike], *, drop_zero: bool = False) -> list[LineInput]:
    """Validate and normalise lines: amounts to the cent, accounts postable and active.

    Raises a ``ValidationError`` on ``lines`` naming every bad line (numbered from 1).
    """
    if lines is None or isinstance(lines, str | bytes | Mapping):
        raise ValidationError({"lines": _("Give a list of lines.")})
    cleaned: list[LineInput] = []
    errors: list[str] = []
    for index, raw in enumerate(lines, start=1):
        if isinstance(raw, LineInput):
            raw = {
                "account": raw.account,
                "debit": raw.debit,
                "credit": raw.credit,
                "partner": raw.partner,
                "memo": raw.memo,
                "red": raw.red,
            }
        if not isinstance(raw, Mapping):
            errors.append(_("Line %(n)d: not a line.") % {"n": index})
            continue
        account = _resolve_account(raw.get("account"))
        if account is None:
            errors.append(_("Line %(n)d: unknown account.") % {"n": index})
            continue
        try:
            debit, credit = money(raw.get("debit")), money(raw.get("credit"))
        except ValueError:
            errors.append(_("Line %(n)d: the amounts must be numbers.") % {"n": index})
            continue
        try:
            partner = _resolve_partner(raw.get("partner"))
        except ValueError:
            errors.append(_("Line %(n)d: unknown partner.") % {"n": index})
            continue
        memo = raw.get("memo") or ""
        memo = memo if isinstance(memo, Memo) else str(memo).strip()
        # A generated memo is stored as its kind and values, never as text: no length to check.
        if not isinstance(memo, Memo) and len(memo) > 255:
            errors.append(_("Line %(n)d: the memo is longer than 255 characters.") % {"n": index})
            continue
        red = bool(raw.get("red"))
        if (debit < 0 or credit < 0) and not red:
            errors.append(_("Line %(n)d: amounts cannot be negative.") % {"n": index})
            continue
        if debit == 0 and credit == 0 and drop_zero:
            continue
        if (debit != 0) == (credit != 0):
            errors.append(
                _("Line %(n)d: give either a debit or a credit above zero.") % {"n": index}
            )
            continue
        if abs(debit) + abs(credit) > AMOUNT_MAX:
            errors.append(_("Line %(n)d: the amount is too large.") % {"n": index})
            continue
        if not account.is_postable:
            errors.append(
                _("Line %(n)d: account %(code)s has sub-accounts; post to one of them.")
                % {"n": index, "code": account.code}
            )
            continue
        if not account.is_active:
            errors.append(
                _("Line %(n)d: account %(code)s is inactive.") % {"n": index, "code": account.code}
            )
            continue
        cleaned.append(
            LineInput(
                account=account,
                debit=debit,
                credit=credit,
                partner=partner,
                memo=memo,
                red=red and (debit < 0 or credit < 0),
            )
        )
    if errors:
        raise ValidationError({"lines": errors})
    if len(cleaned) < 2:
        raise ValidationError({"lines": _("An entry has at least two lines.")})
    return cleaned


def _totals(lines: Sequence[LineInput]) -> tuple[Decimal, Decimal]:
    return sum((line.debit for line in lines), ZERO), sum((line.credit for line in lines), ZERO)


def _require_balanced(lines: Sequence[LineInput]) -> None:
    debit, credit = _totals(lines)
    if debit != credit:
        raise ValidationError(
            {
                "lines": _("Debits (%(debit)s) and credits (%(credit)s) differ.")
                % {"debit": debit, "credit": credit}
            }
        )


def journal_line(entry: JournalEntry, line: LineInput) -> JournalLine:
    """The unsaved row of ``line``; a generated memo is kept as its kind and values."""
    memo, memo_kind, memo_args = memo_parts(line.memo)
    return JournalLine(
        entry=entry,
        account=line.account,
        debit=line.debit,
        credit=line.credit,
        partner=line.partner,
        memo=memo,
        memo_kind=memo_kind,
        memo_args=memo_args,
    )


def line_memo(line: JournalLine) -> str | Memo:
    """A saved line's memo as given to the services: a ``Memo`` when the system wrote it."""
    if line.memo_kind:
        return Memo(line.memo_kind, line.memo_args)
    return line.memo


def _write_lines(entry: JournalEntry, lines: Sequence[LineInput]) -> None:
    JournalLine.objects.bulk_create([journal_line(entry, line) for line in lines])
