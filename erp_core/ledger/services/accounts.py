"""The chart of accounts and the journals: the structure every entry posts into."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.ledger.models import (
    Account,
    FiscalYear,
    Journal,
    JournalLine,
    JournalSequence,
    NormalBalance,
    PostingRule,
)

ACCOUNT_TYPE_NORMAL_BALANCE = {
    Account.Type.ASSET: NormalBalance.DEBIT,
    Account.Type.LIABILITY: NormalBalance.CREDIT,
    Account.Type.COMMON: NormalBalance.DEBIT,
    Account.Type.EQUITY: NormalBalance.CREDIT,
    Account.Type.COST: NormalBalance.DEBIT,
    Account.Type.INCOME: NormalBalance.CREDIT,
    Account.Type.EXPENSE: NormalBalance.DEBIT,
}


def _parent_for(code: str) -> Account | None:
    """The existing account whose code is the longest proper prefix of ``code``."""
    prefixes = [code[:length] for length in range(4, len(code), 2)]
    candidates = sorted(
        Account.objects.select_for_update().filter(code__in=prefixes),
        key=lambda account: len(account.code),
    )
    return candidates[-1] if candidates else None


@transaction.atomic
def account_create(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    type: str | None = None,
    normal_balance: str | None = None,
    is_rounding: bool = False,
    is_active: bool = True,
) -> Account:
    """Add an account to the chart, under the account whose code is its longest prefix.

    A sub-account takes its parent's type by default and must keep it; its parent stops being
    postable, which is refused while the parent has lines or is named in a posting rule.
    The normal balance defaults from the type (debit for assets, costs, expenses).
    """
    code = (code or "").strip()
    parent = _parent_for(code) if len(code) > 4 else None
    if len(code) > 4 and parent is None:
        raise ValidationError({"code": _("Create the parent account of this code first.")})
    if parent is not None:
        type = type or parent.type
        if type != parent.type:
            raise ValidationError({"type": _("A sub-account has its parent's type.")})
    if not type:
        raise ValidationError({"type": _("This field is required.")})
    if normal_balance is None and type in ACCOUNT_TYPE_NORMAL_BALANCE:
        normal_balance = ACCOUNT_TYPE_NORMAL_BALANCE[type]
    account = Account(
        code=code,
        name_zh=(name_zh or "").strip(),
        name_en=(name_en or "").strip(),
        type=type,
        normal_balance=normal_balance or "",
        parent=parent,
        is_rounding=is_rounding,
        is_active=is_active,
    )
    account.full_clean()
    if parent is not None and parent.is_postable:
        if JournalLine.objects.filter(account=parent).exists():
            raise Conflict(
                _("Account %(code)s has lines: it cannot get sub-accounts.")
                % {"code": parent.code},
                code="account_has_lines",
            )
        if (
            PostingRule.objects.filter(debit_account=parent).exists()
            or PostingRule.objects.filter(credit_account=parent).exists()
        ):
            raise Conflict(
                _("Account %(code)s is used by posting rules: point them elsewhere first.")
                % {"code": parent.code},
                code="account_in_posting_rule",
            )
        parent.is_postable = False
        parent.save(update_fields=["is_postable"])
    account.save()
    return account


ACCOUNT_UPDATE_FIELDS = ("name_zh", "name_en", "is_active", "is_rounding")


@transaction.atomic
def account_update(*, account: Account, **fields) -> Account:
    """Change an account's names, active flag or rounding flag; code, type and tree stay."""
    unknown = set(fields) - set(ACCOUNT_UPDATE_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed.") for field in sorted(unknown)}
        )
    account = Account.objects.select_for_update().get(pk=account.pk)
    for field, value in fields.items():
        setattr(account, field, value.strip() if isinstance(value, str) else value)
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def journal_create(*, code: str, name: str, name_zh: str = "") -> Journal:
    """Add a journal, with its number sequence in every fiscal year."""
    journal = Journal(code=(code or "").strip().upper(), name=(name or "").strip(), name_zh=name_zh)
    journal.full_clean()
    journal.save()
    JournalSequence.objects.bulk_create(
        [JournalSequence(journal=journal, fiscal_year=year) for year in FiscalYear.objects.all()]
    )
    return journal
