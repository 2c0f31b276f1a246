"""The chart of accounts and the journals: the structure every entry posts into."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.ledger.chart import account_shape, parent_codes
from erp_core.ledger.models import (
    Account,
    FiscalYear,
    Journal,
    JournalLine,
    JournalSequence,
    PostingRule,
)


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
    # The possible parents are locked, so that no sub-account slips under one while it changes.
    candidates = {
        account.code: account
        for account in Account.objects.select_for_update().filter(code__in=parent_codes(code))
    }
    shape = account_shape(
        code=code,
        type=type,
        normal_balance=normal_balance,
        types_by_code={candidate: account.type for candidate, account in candidates.items()},
    )
    parent = candidates[shape.parent_code] if shape.parent_code else None
    account = Account(
        code=code,
        name_zh=(name_zh or "").strip(),
        name_en=(name_en or "").strip(),
        type=shape.type,
        normal_balance=shape.normal_balance,
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
