"""Framework signal receivers of the ERP core (not bus events)."""

from erp_core.services import roles_sync

# Role permissions live in these apps; each app's post_migrate creates its permissions first.
_ROLE_APPS = {"integration", "erp_core", "mes", "wms", "crm"}


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """After migrate, bring the role groups in line with erp_core.roles."""
    if sender.name in _ROLE_APPS:
        roles_sync()
