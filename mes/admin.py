"""Django admin of MES: machines and their cycle times (with history, saved through the
services), device credentials (issued and revoked here: the token is shown once), and the
machine data and downtime, read-only except for a stop's reason."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin
from mes.models import Downtime, Machine, MachineCycleTime, MachineDevice, MachineEvent
from mes.services.devices import device_issue, device_revoke, device_token_reissue
from mes.services.downtime import downtime_reason_correct
from mes.services.machines import MACHINE_FIELDS, machine_save


class MachineCycleTimeInline(admin.TabularInline):
    """An item's ideal cycle time on the machine."""

    model = MachineCycleTime
    extra = 0
    autocomplete_fields = ("item",)


@admin.register(Machine)
class MachineAdmin(SimpleHistoryAdmin):
    """Machines of the work centers; the state comes from the machine data."""

    list_display = ("code", "name", "work_center", "state", "state_since", "is_active")
    list_filter = ("state", "is_active", "work_center")
    search_fields = ("code", "name")
    list_select_related = ("work_center",)
    readonly_fields = ("state", "state_since")
    inlines = (MachineCycleTimeInline,)

    def save_model(self, request, obj, form, change) -> None:
        """Through ``machine_save`` (a new machine is announced to planning)."""
        data = {
            name: form.cleaned_data[name] for name in MACHINE_FIELDS if name in form.cleaned_data
        }
        saved = machine_save(data=data, instance=Machine.objects.get(pk=obj.pk) if change else None)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(MachineCycleTime)
class MachineCycleTimeAdmin(SimpleHistoryAdmin):
    """Ideal cycle times per machine × item."""

    list_display = ("machine", "item", "seconds_per_unit")
    list_filter = ("machine",)
    search_fields = ("machine__code", "item__code")
    list_select_related = ("machine", "item")
    autocomplete_fields = ("item",)


@admin.register(MachineDevice)
class MachineDeviceAdmin(SimpleHistoryAdmin):
    """Devices posting machine data. Adding one issues its token, shown once in the message;
    the actions revoke devices or give them a new token."""

    list_display = ("name", "is_active", "token_key", "created_at", "last_seen_at", "revoked_at")
    list_filter = ("is_active",)
    search_fields = ("name", "token_key")
    filter_horizontal = ("machines",)
    readonly_fields = ("token_key", "is_active", "created_at", "revoked_at", "last_seen_at")
    actions = ("revoke", "reissue")

    def save_model(self, request, obj, form, change) -> None:
        """A new device is issued through the service; its token is shown once."""
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            device, token = device_issue(name=obj.name, machines=[])
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        obj.pk = device.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Token of %(name)s — copy it now, it is not shown again: %(token)s")
            % {"name": device.name, "token": token},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected devices"), permissions=["issue"])
    def revoke(self, request, queryset) -> None:
        """Refuse the devices' requests from now on."""
        for device in queryset:
            device_revoke(device=device)
        self.message_user(request, _("%(count)s device(s) revoked.") % {"count": queryset.count()})

    @admin.action(description=_("Issue a new token"), permissions=["issue"])
    def reissue(self, request, queryset) -> None:
        """A new token for each device (the old one stops working), shown once."""
        for device in queryset:
            token = device_token_reissue(device=device)
            self.message_user(
                request,
                _("Token of %(name)s — copy it now, it is not shown again: %(token)s")
                % {"name": device.name, "token": token},
                messages.WARNING,
            )

    def has_issue_permission(self, request) -> bool:
        """Issuing and revoking tokens needs its own permission."""
        return request.user.has_perm("mes.issue_machinedevice")


@admin.register(MachineEvent)
class MachineEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Machine data as the devices posted it."""

    list_display = (
        "occurred_at", "machine", "kind", "state", "reason", "good", "scrap", "good_delta",
        "scrap_delta", "alarm_code", "device", "event_id",
    )  # fmt: skip
    list_filter = ("kind", "state", "reason", "machine")
    search_fields = ("event_id", "machine__code", "alarm_code")
    list_select_related = ("machine", "device")
    date_hierarchy = "occurred_at"


@admin.register(Downtime)
class DowntimeAdmin(SimpleHistoryAdmin):
    """Stops derived from the machine data; only the reason and note are changed here."""

    list_display = ("machine", "state", "started_at", "ended_at", "reason", "reason_corrected_by")
    list_filter = ("state", "reason", "machine")
    search_fields = ("machine__code", "note")
    list_select_related = ("machine", "reason_corrected_by")
    fields = ("machine", "state", "started_at", "ended_at", "reason", "note",
              "reason_corrected_by", "reason_corrected_at")  # fmt: skip
    readonly_fields = ("machine", "state", "started_at", "ended_at", "reason_corrected_by",
                       "reason_corrected_at")  # fmt: skip

    def has_add_permission(self, request) -> bool:
        """Stops come from the machine data."""
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Through ``downtime_reason_correct``."""
        downtime_reason_correct(downtime=obj, reason=obj.reason, note=obj.note, actor=request.user)
