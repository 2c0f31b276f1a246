"""Admin pieces shared by every module."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """No add, change or delete through the admin: the services own every write (numbering,
    checks, postings, events), and documents are voided, never deleted. Rows stay viewable and
    searchable; status steps run as admin actions that call the services.

    Put it before the admin base class: ``class LineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin)``.
    Works for ``ModelAdmin`` and inlines alike (inlines pass ``obj`` to ``has_add_permission``).
    """

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
