"""Permission classes of the purchase order and receipt resources.

- The module gate: the ERP's or the warehouse's staff. Warehouse staff work in WMS and have no
  ERP module access, yet they read orders and book receipts; either module permission opens
  these resources, the model permissions decide the rest.
- The status steps (``approve``, ``void``, ``acknowledge``, ``close``…) are POSTs, which plain
  model permissions would read as "add"; a step needs the model's ``view`` permission and the
  step's own permission (``action_permissions``).
"""

from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from erp_core.api.permissions import (
    HasActionPermission,
    HasModulePermission,
    ModelPermissions,
    is_partner_user,
)

ERP = "erp_core.access_erp"
ORDER_MODULES = (ERP, "wms.access_wms")


class HasAnyModulePermission(HasModulePermission):
    """Like ``HasModulePermission``, with ``view.module_permissions``: any one of them will do."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Partner users by ``partner_actions``; staff need one of the module permissions."""
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if is_partner_user(user):
            return getattr(view, "action", None) in getattr(view, "partner_actions", ())
        modules = getattr(view, "module_permissions", None) or (view.module_permission,)
        return any(user.has_perm(name) for name in modules)


class StepModelPermissions(ModelPermissions):
    """Model permissions, except that a status step (``view.step_actions``) needs only ``view``."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        """The view permission for a step; the method's model permission otherwise."""
        if is_partner_user(request.user):
            return True
        if getattr(view, "action", None) in getattr(view, "step_actions", ()):
            model = self._queryset(view).model
            return request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        return super().has_permission(request, view)


PURCHASING_PERMISSIONS = (
    IsAuthenticated,
    HasAnyModulePermission,
    StepModelPermissions,
    HasActionPermission,
)
