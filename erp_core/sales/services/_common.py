"""Checks shared by the sales services: master data fit for sale, refusals.

Numbers are read with ``common.numbers.parse_decimal``.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.errors import DomainError
from erp_core.models import Partner, TaxCode, Warehouse

ZERO = Decimal("0")
HUNDRED = Decimal("100")


class CreditOverrideForbidden(DomainError):
    """Only a user allowed to override credit limits (Finance) may confirm over the limit."""

    status_code = 403
    code = "permission_denied"


def check_customer(customer: Partner) -> None:
    """A sales document's partner must be an active customer."""
    if not customer.is_customer:
        raise ValidationError(
            {"customer": _("%(partner)s is not a customer.") % {"partner": customer}}
        )
    if not customer.is_active:
        raise ValidationError(
            {"customer": _("The customer %(partner)s is inactive.") % {"partner": customer}}
        )


def check_warehouse(warehouse: Warehouse) -> None:
    """Goods ship from an active warehouse only."""
    if not warehouse.is_active:
        raise ValidationError(
            {"warehouse": _("The warehouse %(code)s is inactive.") % {"code": warehouse.code}}
        )


def check_tax_code(tax_code: TaxCode | None, *, label: str) -> None:
    """A line's VAT code, when given, must be active."""
    if tax_code is not None and not tax_code.is_active:
        raise ValidationError(
            {"lines": _("%(line)s: the VAT code %(code)s is inactive.")
             % {"line": label, "code": tax_code.code}}
        )  # fmt: skip
