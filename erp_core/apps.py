"""App configuration for the ERP core."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ErpCoreConfig(AppConfig):
    """The ERP core; its receivers are imported in ready() so that they connect to the bus."""

    name = "erp_core"
    verbose_name = _("ERP core")

    def ready(self) -> None:
        from erp_core import handlers  # noqa: F401
        from erp_core.signals import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="erp_core.roles")
