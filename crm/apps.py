"""App configuration for CRM."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CRMConfig(AppConfig):
    """Customer relationships: receivers connect to the bus in ready(), where CRM also registers
    its roles' permissions, its menu card and its demo step, all gone when it is switched off."""

    name = "crm"
    verbose_name = _("Customer relationships")

    def ready(self) -> None:
        from crm import (
            handlers,  # noqa: F401 - connects the receivers
            menu,
            roles,
        )
        from crm.demo import crm_step
        from erp_core import registry

        registry.register_roles(roles.ROLE_PERMISSIONS)
        registry.register_module(menu.MODULE)
        registry.register_menu("crm", menu.ENTRIES, order=10)
        registry.register_worklist(menu.WORK, order=10)
        registry.register_demo_step("crm", crm_step, after=["sales", "billing"])
