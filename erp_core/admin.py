"""Django admin of what spans the product: users (with API tokens) and idempotency records.

Master data registers its own admin in ``erp_core.masterdata.admin``, imported here so that
Django's admin autodiscovery (which imports ``<app>.admin``) finds it."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

import erp_core.masterdata.admin  # noqa: F401
from erp_core.models import (
    IdempotencyRecord,
    User,
)
from erp_core.tokens import api_token_issue


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Users with their partner and their change history; issues API tokens."""

    list_display = ("username", "email", "first_name", "last_name", "partner", "is_staff")
    list_filter = ("partner", "is_staff", "is_superuser", "is_active", "groups")
    list_select_related = ("partner",)
    search_fields = ("username", "first_name", "last_name", "email", "partner__code")
    autocomplete_fields = ("partner",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Partner"), {"fields": ("partner",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Partner"), {"fields": ("partner",)}),
    )
    actions = ("issue_api_token",)

    @admin.action(description=_("Issue an API token (shown once)"), permissions=("change",))
    def issue_api_token(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Issue one token per selected user and show each plain token once, in a message."""
        for user in queryset.order_by("pk"):
            try:
                instance, token = api_token_issue(user=user, days=None, actor=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{user.get_username()}: {'; '.join(exc.messages)}", messages.ERROR
                )
                continue
            self.message_user(
                request,
                _(
                    "API token for %(user)s (expires %(expiry)s), copy it now, "
                    "it is shown only once: %(token)s"
                )
                % {"user": user.get_username(), "expiry": instance.expiry, "token": token},
                messages.WARNING,
            )


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    """Stored answers to create requests sent with an Idempotency-Key: read-only, purgeable."""

    list_display = ("created_at", "user", "endpoint", "key", "response_status")
    list_filter = ("response_status",)
    list_select_related = ("user",)
    search_fields = ("key", "endpoint", "user__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Records are written by the API only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        """Records are never edited: they are the answer that was given."""
        return False
