"""Admin for the bus: events with their deliveries, dead deliveries, replay."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.errors import DomainError
from integration.models import Delivery, Event, EventReceipt
from integration.services import event_replay


class DeliveryInline(admin.TabularInline):
    """The receivers that failed on the event."""

    model = Delivery
    extra = 0
    can_delete = False
    fields = ("receiver", "status", "attempts", "updated_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The outbox and event log: read-only; dead events can be replayed."""

    list_display = ("occurred_at", "topic", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status", "topic")
    search_fields = ("id", "topic")
    date_hierarchy = "occurred_at"
    readonly_fields = (
        "id", "topic", "version", "occurred_at", "payload", "status", "attempts",
        "next_attempt_at", "enqueued_at", "delivered_at",
    )  # fmt: skip
    inlines = [DeliveryInline]
    actions = ["replay"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Replay the selected dead events"), permissions=["replay"])
    def replay(self, request, queryset) -> None:
        """Replay each selected dead event; the others are reported, not touched."""
        replayed = 0
        for event_id in queryset.values_list("pk", flat=True):
            try:
                event_replay(event_id=event_id)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            else:
                replayed += 1
        if replayed:
            self.message_user(
                request,
                ngettext("%d event replayed.", "%d events replayed.", replayed) % replayed,
                messages.SUCCESS,
            )

    def has_replay_permission(self, request) -> bool:
        return request.user.has_perm("integration.replay_event")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Failing and dead deliveries per receiver."""

    list_display = ("event", "receiver", "status", "attempts", "updated_at")
    list_filter = ("status", "receiver")
    search_fields = ("receiver", "event__id", "event__topic")
    list_select_related = ("event",)
    readonly_fields = ("event", "receiver", "status", "attempts", "last_error", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EventReceipt)
class EventReceiptAdmin(admin.ModelAdmin):
    """Which receiver applied which event, when."""

    list_display = ("event_id", "receiver", "handled_at")
    list_filter = ("receiver",)
    search_fields = ("event_id", "receiver")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
