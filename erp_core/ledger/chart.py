"""The rules of the chart of accounts' tree, worked out from codes alone (no database).

``account_create`` (one account, its possible parents locked) and the chart seed (a whole chart
in memory, then in bulk) both place an account with ``account_shape``, so the two always build
the same tree.
"""

from collections.abc import Mapping
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from erp_core.ledger.models import Account, NormalBalance

ACCOUNT_TYPE_NORMAL_BALANCE: dict[str, str] = {
    Account.Type.ASSET: NormalBalance.DEBIT,
    Account.Type.LIABILITY: NormalBalance.CREDIT,
    Account.Type.COMMON: NormalBalance.DEBIT,
    Account.Type.EQUITY: NormalBalance.CREDIT,
    Account.Type.COST: NormalBalance.DEBIT,
    Account.Type.INCOME: NormalBalance.CREDIT,
    Account.Type.EXPENSE: NormalBalance.DEBIT,
}


class AccountShape(NamedTuple):
    """Where an account stands in the chart (its parent's code, ``None`` at the top) and what
    it is (its type and normal balance)."""

    parent_code: str | None
    type: str
    normal_balance: str


def parent_codes(code: str) -> list[str]:
    """The codes that could be the parent of ``code``: its proper prefixes of 4, 6, … digits."""
    return [code[:length] for length in range(4, len(code), 2)]


def account_shape(
    *,
    code: str,
    type: str | None,
    normal_balance: str | None,
    types_by_code: Mapping[str, str],
) -> AccountShape:
    """Place the account ``code`` in a chart whose accounts' types are ``types_by_code``.

    The parent is the account whose code is the longest proper prefix (a code past four digits
    needs one); a sub-account takes its parent's type by default and must keep it; the normal
    balance defaults from the type (debit for assets, costs, expenses). ``types_by_code`` needs
    only the accounts of ``parent_codes(code)``. Refusals are ``ValidationError`` by field.
    """
    parent_code = next((p for p in reversed(parent_codes(code)) if p in types_by_code), None)
    if len(code) > 4 and parent_code is None:
        raise ValidationError({"code": _("Create the parent account of this code first.")})
    if parent_code is not None:
        type = type or types_by_code[parent_code]
        if type != types_by_code[parent_code]:
            raise ValidationError({"type": _("A sub-account has its parent's type.")})
    if not type:
        raise ValidationError({"type": _("This field is required.")})
    if normal_balance is None:
        normal_balance = ACCOUNT_TYPE_NORMAL_BALANCE.get(type, "")
    return AccountShape(parent_code=parent_code, type=type, normal_balance=normal_balance)
