"""App configuration for the ERP core."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ErpCoreConfig(AppConfig):
    """The ERP core's root: users, roles, master data, the home page and the demo.

    Its receivers are imported in ready() so that they connect to the bus; it registers its own
    roles' permissions, menu cards and demo step like every other app (``erp_core.registry``).
    """

    name = "erp_core"
    verbose_name = _("ERP core")

    def ready(self) -> None:
        from erp_core import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            registry,
            roles,
        )
        from erp_core.demo import masterdata_demo_load
        from erp_core.masterdata import menu as masterdata_menu
        from erp_core.masterdata import roles as masterdata_roles
        from erp_core.signals import sync_roles_after_migrate

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_roles(masterdata_roles.ROLE_PERMISSIONS)
        for module in menu.MODULES:
            registry.register_module(module)
        registry.register_menu("integration", menu.INTEGRATION_ENTRIES, order=10)
        registry.register_menu("erp", masterdata_menu.ENTRIES, order=masterdata_menu.ORDER)
        registry.register_demo_step("masterdata", masterdata_demo_load)
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="erp_core.roles")
