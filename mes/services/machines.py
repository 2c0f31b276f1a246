"""Machines and their ideal cycle times: created and changed by staff (pages, API, admin).

Creating a machine announces its state (``mes.machine_state_changed``), so planning learns of
the capacity; later state changes come from the machine data (``machine_events``).
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import Conflict
from common.numbers import parse_decimal
from erp_core.models import Item, WorkCenter
from integration import topics
from integration.bus import publish
from mes.models import Machine, MachineCycleTime

#: The fields of a machine staff may set.
MACHINE_FIELDS = ("work_center", "code", "name", "is_active", "ideal_cycle_seconds")


def state_changed_payload(machine: Machine, *, reason: str = "") -> dict[str, Any]:
    """The payload of ``mes.machine_state_changed`` for ``machine`` as it now is."""
    payload: dict[str, Any] = {
        "machine_id": machine.pk,
        "work_center_id": machine.work_center_id,
        "state": machine.state,
        "changed_at": (machine.state_since or timezone.now()).isoformat(),
    }
    if reason:
        payload["reason"] = reason
    return payload


def _clean(data: dict[str, Any], instance: Machine | None) -> dict[str, Any]:
    unknown = set(data) - set(MACHINE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Not a field of a machine.") for name in sorted(unknown)})
    cleaned = dict(data)
    if "code" in cleaned:
        cleaned["code"] = str(cleaned["code"] or "").strip().upper()
        if not cleaned["code"]:
            raise ValidationError({"code": _("Give the machine a code.")})
    if "name" in cleaned:
        cleaned["name"] = str(cleaned["name"] or "").strip()
        if not cleaned["name"]:
            raise ValidationError({"name": _("Give the machine a name.")})
    if cleaned.get("ideal_cycle_seconds") not in (None, ""):
        cleaned["ideal_cycle_seconds"] = parse_decimal(
            cleaned["ideal_cycle_seconds"],
            field="ideal_cycle_seconds",
            bounds=Machine._meta.get_field("ideal_cycle_seconds"),
        )
    elif "ideal_cycle_seconds" in cleaned:
        cleaned["ideal_cycle_seconds"] = None
    work_center = cleaned.get("work_center")
    if work_center is not None and not isinstance(work_center, WorkCenter):
        raise ValidationError({"work_center": _("Choose a work center.")})
    if instance is None and work_center is None:
        raise ValidationError({"work_center": _("Choose a work center.")})
    if work_center is not None and not work_center.is_active:
        raise ValidationError({"work_center": _("The work center is not active.")})
    return cleaned


@transaction.atomic
def machine_save(*, data: dict[str, Any], instance: Machine | None = None) -> Machine:
    """Create a machine (idle, announced to planning) or change one's code, name, work center,
    default cycle time or active flag. A code already used is refused."""
    cleaned = _clean(data, instance)
    code = cleaned.get("code", instance.code if instance else "")
    others = Machine.objects.filter(code=code)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise ValidationError({"code": _("A machine with this code exists already.")})
    creating = instance is None
    machine = instance or Machine(state=Machine.State.IDLE, state_since=timezone.now())
    moved = (
        not creating
        and "work_center" in cleaned
        and (cleaned["work_center"].pk != machine.work_center_id)
    )
    for name, value in cleaned.items():
        setattr(machine, name, value)
    try:
        with transaction.atomic():
            machine.full_clean(validate_unique=False, validate_constraints=False)
            machine.save()
    except IntegrityError as exc:
        raise Conflict(
            str(_("A machine with this code exists already.")), code="duplicate"
        ) from exc
    if creating or moved:
        publish(topic=topics.machine_state_changed, payload=state_changed_payload(machine))
    return machine


@transaction.atomic
def cycle_time_set(
    *, machine: Machine, item: Item, seconds_per_unit: Decimal | str
) -> MachineCycleTime:
    """Set the ideal cycle time of ``item`` on ``machine`` (created or replaced)."""
    seconds = parse_decimal(
        seconds_per_unit,
        field="seconds_per_unit",
        bounds=MachineCycleTime._meta.get_field("seconds_per_unit"),
    )
    row, _created = MachineCycleTime.objects.update_or_create(
        machine=machine, item=item, defaults={"seconds_per_unit": seconds}
    )
    return row


@transaction.atomic
def cycle_time_delete(*, cycle_time: MachineCycleTime) -> None:
    """Remove an item's cycle time on a machine (the machine's default applies again)."""
    cycle_time.delete()
