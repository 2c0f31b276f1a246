"""Reusable permission classes of the REST API, for every module's viewsets.

Two kinds of caller: staff (employees, by role groups) and partner users (bound to one partner).
Staff need the module's permission (``erp_core.access_erp``…) and the model permission of the
request's method. A partner user holds no permissions: it may run only the view's
``partner_actions`` and ``get_queryset()`` limits it to its partner's rows.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission, DjangoModelPermissions, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView


def is_partner_user(user) -> bool:
    """True for an authenticated customer's or supplier's user."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "partner_id", None))


class HasModulePermission(BasePermission):
    """Staff need ``view.module_permission``; partner users only the view's ``partner_actions``.

    Set ``module_permission = "erp_core.access_erp"`` on the view, and ``partner_actions`` to the
    actions a partner user may run (e.g. ``("list", "retrieve")``; empty: none). A resource
    several modules work with (orders the warehouse ships) sets ``module_permissions``: any one
    of them opens it.
    """

    message = "You do not have access to this module."

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Check the module gate (authentication itself is IsAuthenticated's job)."""
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if is_partner_user(user):
            return getattr(view, "action", None) in getattr(view, "partner_actions", ())
        modules = getattr(view, "module_permissions", None) or (
            getattr(view, "module_permission", None),
        )
        if not all(modules):
            raise ImproperlyConfigured(
                f"{view.__class__.__name__} must set module_permission, e.g. 'erp_core.access_erp'."
            )
        return any(user.has_perm(name) for name in modules)


class ModelPermissions(DjangoModelPermissions):
    """DjangoModelPermissions that also require the ``view`` permission to read.

    Partner users are let through: they hold no model permissions, and what they may do is
    decided by ``HasModulePermission`` (``partner_actions``) and ``get_queryset()``.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Staff need the model permission of the method; partner users pass to the other gates."""
        if is_partner_user(request.user):
            return True
        return super().has_permission(request, view)


class StepModelPermissions(ModelPermissions):
    """Model permissions, except that a status step needs only the model's ``view`` permission.

    The steps (approve, void, release, report output…) are POSTs, which plain model permissions
    would read as "add": finance may confirm an order over its credit limit, the shop floor may
    report output, without being allowed to create documents. A step is an action named in
    ``view.step_actions`` or in ``view.action_permissions``; ``HasActionPermission`` then checks
    the step's own permission.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        """The view permission for a step; the method's model permission otherwise."""
        if is_partner_user(request.user):
            return True
        action = getattr(view, "action", None)
        if action in getattr(view, "step_actions", ()) or action in getattr(
            view, "action_permissions", {}
        ):
            opts = self._queryset(view).model._meta
            return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        return super().has_permission(request, view)


class HasActionPermission(BasePermission):
    """Staff need ``view.action_permissions[action]`` (if any) on top of the model permission."""

    message = "You may not do this to the object."

    def has_permission(self, request: Request, view: APIView) -> bool:
        """Check the action's own permission, e.g. ``ledger.post_journalentry`` to post."""
        if is_partner_user(request.user):
            return True  # partner users are gated by ``partner_actions`` instead
        needed = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        return needed is None or request.user.has_perm(needed)


# The permission classes of every resource: authenticated, the module, then the model.
RESOURCE_PERMISSIONS = (HasModulePermission, ModelPermissions)

# Those of a document resource with status steps (see ``StepModelPermissions``).
STEP_PERMISSIONS = (
    IsAuthenticated,
    HasModulePermission,
    StepModelPermissions,
    HasActionPermission,
)
