"""Accounts, contacts and leads: entry with de-duplication, and conversion of a lead to an
account with a contact and an opportunity."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
from common.numbers import parse_decimal
from crm.models import Account, Contact, Lead, Opportunity, Stage, company_key, phone_key
from crm.services.common import cleaned, refuse_unknown, saved
from erp_core.models import Partner, User
from integration import topics
from integration.bus import publish

ACCOUNT_FIELDS = ("name", "owner", "tax_id", "phone", "email", "industry", "address", "partner")
CONTACT_FIELDS = ("account", "name", "title", "phone", "email", "is_primary")
LEAD_FIELDS = (
    "company",
    "contact_name",
    "phone",
    "email",
    "tax_id",
    "source",
    "status",
    "score",
    "owner",
    "notes",
)


# --- De-duplication ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """A lead or account that looks like the same company, and what matched."""

    kind: str  # "lead" or "account"
    pk: int
    name: str
    matched: tuple[str, ...]


def duplicates_of(
    *, company: str = "", phone: str = "", email: str = "", tax_id: str = "", exclude_lead=None
) -> list[Duplicate]:
    """Open leads and accounts with the same company name, phone, e-mail or tax id.

    Names are compared without case, punctuation or legal form; phones by their digits.
    """
    keys = {
        "company": company_key(company),
        "phone": phone_key(phone),
        "email": (email or "").strip().lower(),
        "tax_id": (tax_id or "").strip().upper(),
    }
    found: list[Duplicate] = []
    for kind, model, name_field, name_key in (
        ("lead", Lead, "company", "company_key"),
        ("account", Account, "name", "name_key"),
    ):
        condition = Q()
        lookups = {
            "company": name_key,
            "phone": "phone_key",
            "email": "email",
            "tax_id": "tax_id",
        }
        for what, lookup in lookups.items():
            if keys[what]:
                condition |= Q(**{lookup: keys[what]})
        if not condition:
            continue
        rows: QuerySet[Any] = model.objects.filter(condition)
        if model is Lead:
            rows = rows.exclude(status__in=[Lead.Status.CONVERTED, Lead.Status.LOST])
            if exclude_lead is not None:
                rows = rows.exclude(pk=exclude_lead.pk)
        for row in rows.order_by("pk")[:20]:
            matched = tuple(
                what
                for what, lookup in lookups.items()
                if keys[what] and getattr(row, lookup) == keys[what]
            )
            found.append(Duplicate(kind, row.pk, getattr(row, name_field), matched))
    return found


def _refuse_duplicates(found: list[Duplicate]) -> None:
    if found:
        first = found[0]
        raise Conflict(
            _("This looks like %(kind)s “%(name)s” (same %(matched)s).")
            % {
                "kind": _("lead") if first.kind == "lead" else _("account"),
                "name": first.name,
                "matched": ", ".join(str(_MATCH_LABELS[m]) for m in first.matched),
            },
            code="duplicate",
        )


_MATCH_LABELS = {
    "company": _("company name"),
    "phone": _("phone"),
    "email": _("e-mail"),
    "tax_id": _("tax id"),
}


# --- Leads ------------------------------------------------------------------------------------


@transaction.atomic
def lead_create(*, allow_duplicate: bool = False, **fields) -> Lead:
    """Enter a lead; one that looks like an open lead or an account is refused (409
    ``duplicate``) unless ``allow_duplicate``, when it is kept and marked as a duplicate."""
    refuse_unknown(fields, LEAD_FIELDS)
    fields = {name: cleaned(value) for name, value in fields.items()}
    if "tax_id" in fields:
        fields["tax_id"] = (fields["tax_id"] or "").upper()
    lead = Lead(**fields)
    lead.full_clean()
    if lead.status == Lead.Status.CONVERTED:
        raise ValidationError({"status": _("A lead is converted by the conversion only.")})
    found = duplicates_of(
        company=lead.company, phone=lead.phone, email=lead.email, tax_id=lead.tax_id
    )
    if not allow_duplicate:
        _refuse_duplicates(found)
    first_lead = next((d for d in found if d.kind == "lead"), None)
    if first_lead is not None:
        lead.duplicate_of_id = first_lead.pk
    lead.save()
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, **fields) -> Lead:
    """Change a lead that is still open (its status too, but never to converted)."""
    refuse_unknown(fields, LEAD_FIELDS)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if not lead.is_open:
        raise Conflict(_("A converted or lost lead is no longer changed."), code="lead_closed")
    if fields.get("status") == Lead.Status.CONVERTED:
        raise ValidationError({"status": _("A lead is converted by the conversion only.")})
    for name, value in fields.items():
        setattr(lead, name, cleaned(value))
    lead.tax_id = (lead.tax_id or "").upper()
    return saved(lead)


@dataclass(frozen=True)
class Conversion:
    """What a lead's conversion made or found."""

    lead: Lead
    account: Account
    contact: Contact | None
    opportunity: Opportunity | None


@transaction.atomic
def lead_convert(
    *,
    lead: Lead,
    actor: User | None,
    account: Account | None = None,
    opportunity_name: str = "",
    amount: Decimal | str | None = None,
    expected_close=None,
    create_opportunity: bool = True,
) -> Conversion:
    """Turn an open lead into an account (or add it to ``account``, the same company found by
    de-duplication), a contact and an opportunity in the first stage of the pipeline.

    A new account whose tax id is an ERP customer's is bound to that customer; otherwise the
    ERP is asked to register one (``crm.account_opened``), which it answers with
    ``erp.customer_registered``.
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if not lead.is_open:
        raise Conflict(_("Only an open lead is converted."), code="lead_closed")
    owner = lead.owner or actor
    if account is None:
        account = account_create(
            name=lead.company,
            owner=owner,
            tax_id=lead.tax_id,
            phone=lead.phone,
            email=lead.email,
        )
    contact = None
    if lead.contact_name:
        contact = contact_create(
            account=account,
            name=lead.contact_name,
            phone=lead.phone,
            email=lead.email,
            is_primary=not account.contacts.filter(is_primary=True).exists(),
        )
    opportunity = None
    if create_opportunity:
        stage = Stage.objects.filter(is_active=True, outcome=Stage.Outcome.OPEN).first()
        if stage is None:
            raise Conflict(_("The pipeline has no open stage."), code="no_stage")
        value = parse_decimal(
            amount if amount not in (None, "") else "0",
            field="amount",
            bounds=Opportunity._meta.get_field("amount"),
        )
        opportunity = saved(
            Opportunity(
                account=account,
                name=opportunity_name.strip() or lead.company,
                stage=stage,
                amount=value,
                probability=stage.probability,
                expected_close=expected_close,
                owner=owner,
                lead=lead,
            )
        )
    lead.status = Lead.Status.CONVERTED
    lead.account = account
    lead.converted_at = timezone.now()
    lead.save(update_fields=["status", "account", "converted_at"])
    return Conversion(lead=lead, account=account, contact=contact, opportunity=opportunity)


# --- Accounts and contacts --------------------------------------------------------------------


@transaction.atomic
def account_create(*, allow_duplicate: bool = True, **fields) -> Account:
    """Open an account. Without an ERP customer, the one with its tax id is bound, or the ERP
    is asked to register one (``crm.account_opened``)."""
    refuse_unknown(fields, ACCOUNT_FIELDS)
    fields = {name: cleaned(value) for name, value in fields.items()}
    fields["tax_id"] = (fields.get("tax_id") or "").upper()
    account = Account(**fields)
    account.full_clean(exclude=["partner"])
    if not allow_duplicate:
        _refuse_duplicates(
            [
                d
                for d in duplicates_of(
                    company=account.name,
                    phone=account.phone,
                    email=account.email,
                    tax_id=account.tax_id,
                )
                if d.kind == "account"
            ]
        )
    if account.partner is None and account.tax_id:
        account.partner = (
            Partner.objects.filter(
                tax_id=account.tax_id, kind__in=["customer", "both"], crm_account__isnull=True
            )
            .order_by("pk")
            .first()
        )
    if account.partner is not None and Account.objects.filter(partner=account.partner).exists():
        raise Conflict(
            _("ERP customer %(partner)s already has an account.") % {"partner": account.partner},
            code="partner_taken",
        )
    account.save()
    if account.partner is None:
        payload = {"account_id": account.pk, "name": account.name}
        for name in ("tax_id", "email", "phone"):
            if getattr(account, name):
                payload[name] = getattr(account, name)
        publish(topic=topics.account_opened, payload=payload)
    return account


@transaction.atomic
def account_update(*, account: Account, **fields) -> Account:
    """Change an account's own fields (its ERP customer is bound, not edited, here)."""
    refuse_unknown(fields, tuple(f for f in ACCOUNT_FIELDS if f != "partner"))
    account = Account.objects.select_for_update().get(pk=account.pk)
    for name, value in fields.items():
        setattr(account, name, cleaned(value))
    account.tax_id = (account.tax_id or "").upper()
    return saved(account)


@transaction.atomic
def account_bind_partner(*, account_id: int, partner_id: int) -> Account | None:
    """Bind the ERP customer the ERP registered for an account (``erp.customer_registered``);
    an account bound already, or gone, is left as it is."""
    account = Account.objects.select_for_update().filter(pk=account_id).first()
    if account is None or account.partner_id is not None:
        return account
    if not Partner.objects.filter(pk=partner_id).exists():
        raise NotFound(_("Customer %(id)s does not exist.") % {"id": partner_id})
    if Account.objects.filter(partner_id=partner_id).exists():
        return account  # the customer is another account's: leave this one for a person
    account.partner_id = partner_id
    account.save(update_fields=["partner"])
    return account


@transaction.atomic
def contact_create(**fields) -> Contact:
    """Add a person to an account; a new primary contact takes over from the old one."""
    refuse_unknown(fields, CONTACT_FIELDS)
    contact = Contact(**{name: cleaned(value) for name, value in fields.items()})
    if contact.is_primary and contact.account_id:
        Contact.objects.filter(account_id=contact.account_id, is_primary=True).update(
            is_primary=False
        )
    return saved(contact)


@transaction.atomic
def contact_update(*, contact: Contact, **fields) -> Contact:
    """Change a contact."""
    refuse_unknown(fields, CONTACT_FIELDS)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    for name, value in fields.items():
        setattr(contact, name, cleaned(value))
    if contact.is_primary:
        Contact.objects.filter(account_id=contact.account_id, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)
    return saved(contact)
