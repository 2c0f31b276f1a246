"""Who may open CRM (registered by its app, so the right goes when CRM is switched off)."""

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Sales": ("crm.access_crm",),
    "Admin": ("crm.access_crm",),
}
