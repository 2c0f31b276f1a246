"""Who may do what in CRM (registered by its app, so the rights go when CRM is switched off).

Sales work their own accounts; managers (and admins) see every salesperson's accounts
(``crm.view_all_accounts``) and approve discounts above the threshold; finance reads the
collections.
"""

_WORK = ("account", "contact", "lead", "opportunity", "quote", "activity", "ticket")
_SALES = tuple(f"crm.{verb}_{model}" for model in _WORK for verb in ("view", "add", "change"))
_COLLECTIONS = (
    "crm.view_receivable",
    "crm.view_paymentreceipt",
    "crm.view_promisetopay",
    "crm.add_promisetopay",
)
_MANAGE = (
    "crm.view_all_accounts",
    "crm.approve_quote",
    "crm.view_stage",
    "crm.add_stage",
    "crm.change_stage",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Sales": ("crm.access_crm", *_SALES, *_COLLECTIONS, "crm.view_stage"),
    "Finance": (
        "crm.access_crm",
        "crm.view_account",
        "crm.view_all_accounts",
        *_COLLECTIONS,
    ),
    "Admin": ("crm.access_crm", *_SALES, *_COLLECTIONS, *_MANAGE),
}
