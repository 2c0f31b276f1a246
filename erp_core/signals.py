"""Framework signal receivers of the ERP core (not bus events)."""

from django.apps import apps

from erp_core.services import roles_sync


def sync_roles_after_migrate(sender, **kwargs) -> None:
    """After migrate, bring the role groups in line with what the apps registered.

    Django sends post_migrate once per app, creating that app's permissions as it goes; the roles
    name permissions of every installed app, so they are synchronised after the last one.
    """
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if with_models and sender is with_models[-1]:
        roles_sync()
