"""The company's settings: its name, VAT invoice fields and invoicing rule."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.numbers import parse_decimal
from erp_core.ledger import selectors
from erp_core.ledger.models import CompanySettings

#: The widest document date window a company may set: ten years either side of today.
WINDOW_MAX_DAYS = 3660

COMPANY_FIELDS = (
    "name",
    "time_zone",
    "tax_id",
    "address",
    "phone",
    "bank_name",
    "bank_account",
    "invoice_on_shipment",
    "overhead_allocation",
    "document_date_window_days",
    "production_output_tolerance_percent",
)


@transaction.atomic
def company_settings_update(**fields) -> CompanySettings:
    """Change the company's name, time zone, VAT invoice fields (tax id, address, phone, bank),
    whether shipments are invoiced at once (``invoice_on_shipment``), where the overhead
    difference goes, the document date window (days) or the production output tolerance (%).

    The base currency and the fiscal year's start month are set once, before any posting, in
    the admin. Unknown fields and invalid values are refused (400) and nothing is saved.
    """
    unknown = sorted(set(fields) - set(COMPANY_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    company = CompanySettings.objects.select_for_update().get(pk=selectors.company_settings().pk)
    for name, value in fields.items():
        if name == "invoice_on_shipment":
            if not isinstance(value, bool):
                raise ValidationError({name: _("Give true or false.")})
        elif name == "document_date_window_days":
            value = parse_decimal(
                value, field=name, decimal_places=0, min_value=1, max_value=WINDOW_MAX_DAYS
            )
            value = int(value)
        elif name == "production_output_tolerance_percent":
            value = parse_decimal(value, field=name, bounds=CompanySettings._meta.get_field(name))
        else:
            value = (value or "").strip()
        setattr(company, name, value)
    company.full_clean()
    company.save(update_fields=list(fields))
    return company


def document_date_check(date: dt.date, *, field: str = "date") -> dt.date:
    """``date`` when it lies within the company's document date window of today.

    A document dated years away (9999-12-31) is a typing slip, and it would take a number and a
    fiscal year of its own: orders, deliveries, receipts, invoices, payments, journal entries and
    production orders all call this before they are written.
    """
    window = selectors.company_settings().document_date_window_days
    today = timezone.localdate()
    if abs((date - today).days) > window:
        message = _(
            "The date %(date)s is more than %(days)s days from today: the company takes "
            "document dates within %(days)s days of today (company settings)."
        ) % {"date": date.isoformat(), "days": window}
        raise ValidationError({field: ValidationError(message, code="date_out_of_window")})
    return date
