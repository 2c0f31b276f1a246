"""Machine data from devices: one event or a batch, idempotent, placed by timestamp.

A batch is all or nothing: a bad event (named by its position and id) refuses the batch with a
400 and nothing is written; an event for a machine the device may not post for refuses it with
a 403. Events already received from the device (same event id) are skipped, so a device may
resend a batch it got no answer for. The machines of a batch are locked in primary-key order;
then the events are inserted in one statement and, per machine, the derived facts are redone
from the earliest new timestamp on: counter deltas (a reading below the previous one is a reset,
counted from zero) and downtime records (so a late state change re-derives them). The queries
of a batch grow with its machines, never with its events.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, DomainError
from erp_core.models import Item
from integration import topics
from integration.bus import publish
from mes.models import COUNTER_MAX, Downtime, DowntimeReason, Machine, MachineDevice, MachineEvent
from mes.services.machines import state_changed_payload

#: The most events one request may carry.
MAX_BATCH = 1000
#: How far ahead of the server's clock a device's timestamp may be (clocks drift).
MAX_CLOCK_AHEAD = timedelta(minutes=5)
#: How old an event may be (a gateway that buffered through a long outage).
MAX_AGE = timedelta(days=366)

State = Machine.State
Kind = MachineEvent.Kind

#: The reason a stop gets when the device names none.
DEFAULT_REASON = {State.MAINTENANCE: DowntimeReason.PLANNED_MAINTENANCE}


class Forbidden(DomainError):
    """The device may not post for the machine named."""

    status_code = 403
    code = "permission_denied"


@dataclass
class BatchResult:
    """What a batch did: events accepted, duplicates skipped (their ids), machines changed."""

    accepted: int = 0
    duplicates: list[str] = field(default_factory=list)
    state_changes: list[int] = field(default_factory=list)


def _refuse(index: int, event_id: Any, message) -> ValidationError:
    return ValidationError(
        {
            "events": [
                _("Event %(index)s (id %(id)s): %(message)s")
                % {"index": index, "id": event_id or "-", "message": message}
            ]
        }
    )


def _counter(value: Any, index: int, event_id: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _refuse(index, event_id, _("give %(name)s as a whole number.") % {"name": name})
    if isinstance(value, str):
        if not value.strip().isdigit() or len(value.strip()) > 13:
            raise _refuse(index, event_id, _("give %(name)s as a whole number.") % {"name": name})
        value = int(value.strip())
    if not 0 <= value <= COUNTER_MAX:
        raise _refuse(
            index,
            event_id,
            _("%(name)s must be between 0 and %(max)s.") % {"name": name, "max": COUNTER_MAX},
        )
    return value


def _text(raw: dict, name: str, length: int) -> str:
    value = raw.get(name, "")
    return value.strip()[:length] if isinstance(value, str) else ""


def _parse(index: int, raw: Any, now: datetime) -> dict[str, Any]:
    """One event as given, checked: its id, machine code, kind, timestamp and its own fields."""
    if not isinstance(raw, dict):
        raise _refuse(index, None, _("an event is an object."))
    event_id = raw.get("event_id")
    if not isinstance(event_id, str | int) or isinstance(event_id, bool) or not str(event_id):
        raise _refuse(index, None, _("give the device's event id."))
    event_id = str(event_id).strip()
    if not event_id or len(event_id) > 64:
        raise _refuse(index, event_id, _("an event id has 1 to 64 characters."))
    machine = raw.get("machine")
    if not isinstance(machine, str) or not machine.strip():
        raise _refuse(index, event_id, _("give the machine's code."))
    kind = raw.get("kind")
    if kind not in Kind.values:
        raise _refuse(index, event_id, _("the kind is one of state, counter, alarm."))
    stamp = raw.get("occurred_at")
    occurred_at = parse_datetime(stamp) if isinstance(stamp, str) and len(stamp) < 40 else None
    if occurred_at is None:
        raise _refuse(index, event_id, _("give occurred_at as an ISO 8601 date and time."))
    if timezone.is_naive(occurred_at):
        raise _refuse(index, event_id, _("occurred_at needs a time zone offset."))
    if occurred_at > now + MAX_CLOCK_AHEAD:
        raise _refuse(index, event_id, _("occurred_at is in the future."))
    if occurred_at < now - MAX_AGE:
        raise _refuse(index, event_id, _("occurred_at is more than a year ago."))
    event: dict[str, Any] = {
        "index": index,
        "event_id": event_id,
        "machine": machine.strip().upper(),
        "kind": kind,
        "occurred_at": occurred_at,
        "state": "",
        "reason": "",
        "item": None,
        "good": None,
        "scrap": None,
        "alarm_code": "",
        "alarm_text": "",
    }
    if kind == Kind.STATE:
        if raw.get("state") not in State.values:
            raise _refuse(
                index, event_id, _("the state is one of running, idle, down, maintenance.")
            )
        event["state"] = raw["state"]
        reason = raw.get("reason") or ""
        if reason and reason not in DowntimeReason.values:
            raise _refuse(
                index,
                event_id,
                _("the reason is one of %(reasons)s.") % {"reasons": ", ".join(DowntimeReason)},
            )
        if reason and event["state"] == State.RUNNING:
            raise _refuse(index, event_id, _("a running machine has no stop reason."))
        event["reason"] = reason or DEFAULT_REASON.get(event["state"], "")
    elif kind == Kind.COUNTER:
        event["good"] = _counter(raw.get("good"), index, event_id, "good")
        event["scrap"] = _counter(raw.get("scrap", 0), index, event_id, "scrap")
        item = raw.get("item")
        if item not in (None, ""):
            if not isinstance(item, str) or len(item) > 64:
                raise _refuse(index, event_id, _("give the item's code."))
            event["item"] = item.strip()
    else:
        event["alarm_code"] = _text(raw, "code", 32)
        if not event["alarm_code"]:
            raise _refuse(index, event_id, _("give the alarm's code."))
        event["alarm_text"] = _text(raw, "text", 200)
    return event


def _resolve(device: MachineDevice, parsed: list[dict]) -> tuple[dict[str, Machine], dict]:
    """The machines (the device's own, else 403) and items named by the batch."""
    codes = {event["machine"] for event in parsed}
    machines = {m.code: m for m in device.machines.filter(code__in=codes, is_active=True)}
    for event in parsed:
        if event["machine"] not in machines:
            raise Forbidden(
                str(
                    _("Event %(index)s (id %(id)s): the device may not post for machine %(code)s.")
                    % {"index": event["index"], "id": event["event_id"], "code": event["machine"]}
                )
            )
    item_codes = {event["item"] for event in parsed if event["item"]}
    items = dict(Item.objects.filter(code__in=item_codes).values_list("code", "pk"))
    for event in parsed:
        if event["item"] and event["item"] not in items:
            raise _refuse(
                event["index"],
                event["event_id"],
                _("no item has the code %(code)s.") % {"code": event["item"]},
            )
    return machines, items


@transaction.atomic
def machine_events_record(*, device: MachineDevice, events: list[Any]) -> BatchResult:
    """Record a batch of ``events`` posted by ``device`` (see the module's docstring)."""
    if not isinstance(events, list) or not events:
        raise ValidationError({"events": [_("Give at least one event.")]})
    if len(events) > MAX_BATCH:
        raise ValidationError(
            {"events": [_("Give at most %(max)s events at once.") % {"max": MAX_BATCH}]}
        )
    now = timezone.now()
    parsed = [_parse(index, raw, now) for index, raw in enumerate(events)]
    machines, items = _resolve(device, parsed)
    # Lock in primary-key order: two batches for the same machines never deadlock, and a resent
    # batch waits for the first one and then finds its ids taken.
    locked = {
        m.pk: m
        for m in Machine.objects.select_for_update()
        .filter(pk__in=[m.pk for m in machines.values()])
        .order_by("pk")
    }
    result = BatchResult()
    ids = [event["event_id"] for event in parsed]
    seen = set(
        MachineEvent.objects.filter(device=device, event_id__in=ids).values_list(
            "event_id", flat=True
        )
    )
    rows = []
    for event in parsed:
        if event["event_id"] in seen:
            result.duplicates.append(event["event_id"])
            continue
        seen.add(event["event_id"])
        rows.append(
            MachineEvent(
                device=device,
                machine_id=machines[event["machine"]].pk,
                event_id=event["event_id"],
                kind=event["kind"],
                occurred_at=event["occurred_at"],
                received_at=now,
                state=event["state"],
                reason=event["reason"],
                item_id=items.get(event["item"]) if event["item"] else None,
                good=event["good"],
                scrap=event["scrap"],
                alarm_code=event["alarm_code"],
                alarm_text=event["alarm_text"],
            )
        )
    appended = _deltas_when_appended(rows)
    try:
        with transaction.atomic():
            MachineEvent.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise Conflict(
            str(_("An event id of this batch is being recorded by another request; resend it.")),
            code="duplicate",
        ) from exc
    result.accepted = len(rows)
    earliest: dict[tuple[int, str], datetime] = {}
    for row in rows:
        key = (row.machine_id, row.kind)
        if key not in earliest or row.occurred_at < earliest[key]:
            earliest[key] = row.occurred_at
    for (machine_id, kind), since in sorted(earliest.items(), key=lambda pair: pair[0]):
        if kind == Kind.COUNTER:
            if machine_id not in appended:
                counters_rederive(machine_id=machine_id, since=since)
        elif kind == Kind.STATE and downtime_rederive(machine=locked[machine_id], since=since):
            result.state_changes.append(machine_id)
    MachineDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
    return result


def _deltas_when_appended(rows: list[MachineEvent]) -> set[int]:
    """Set the deltas of new counter readings that all come after a machine's last stored one
    (the usual case: a device posts in order), saving the re-derivation; returns those
    machines' ids. One query per machine with new readings."""
    readings: dict[int, list[MachineEvent]] = {}
    for row in rows:
        if row.kind == Kind.COUNTER:
            readings.setdefault(row.machine_id, []).append(row)
    appended = set()
    for machine_id, new in readings.items():
        new.sort(key=lambda row: row.occurred_at)
        last = (
            MachineEvent.objects.filter(machine_id=machine_id, kind=Kind.COUNTER)
            .order_by("-occurred_at", "-id")
            .values("occurred_at", "good", "scrap")
            .first()
        )
        if last is not None and last["occurred_at"] >= new[0].occurred_at:
            continue
        last_good = last["good"] if last else None
        last_scrap = last["scrap"] if last else None
        for row in new:
            row.good_delta = _delta(row.good, last_good)
            row.scrap_delta = _delta(row.scrap, last_scrap)
            last_good, last_scrap = row.good, row.scrap
        appended.add(machine_id)
    return appended


def _delta(value: int | None, last: int | None) -> int:
    """What a counter counted since its last reading: none for the first reading, the whole
    value after a reset (a reading below the last)."""
    if last is None or value is None:
        return 0
    return value if value < last else value - last


def counters_rederive(*, machine_id: int, since: datetime) -> int:
    """Redo the good and scrap deltas of a machine's counter readings from ``since`` on;
    returns how many readings changed. A reading below the previous one is a reset."""
    counters = MachineEvent.objects.filter(machine_id=machine_id, kind=Kind.COUNTER)
    previous = (
        counters.filter(occurred_at__lt=since)
        .order_by("-occurred_at", "-id")
        .values("good", "scrap")
        .first()
    )
    tail = list(
        counters.filter(occurred_at__gte=since)
        .order_by("occurred_at", "id")
        .only("id", "good", "scrap", "good_delta", "scrap_delta")
    )
    last_good = previous["good"] if previous else None
    last_scrap = previous["scrap"] if previous else None
    changed = []
    for row in tail:
        good, scrap = _delta(row.good, last_good), _delta(row.scrap, last_scrap)
        if (good, scrap) != (row.good_delta, row.scrap_delta):
            row.good_delta, row.scrap_delta = good, scrap
            changed.append(row)
        last_good, last_scrap = row.good, row.scrap
    if changed:
        MachineEvent.objects.bulk_update(changed, ["good_delta", "scrap_delta"], batch_size=500)
    return len(changed)


def downtime_rederive(*, machine: Machine, since: datetime) -> bool:
    """Redo a machine's downtime records from ``since`` on, and its current state.

    Each state event that changes the (state, reason) of the one before it starts a segment; a
    segment that is not running is a downtime record, keyed by its start event, so a reason the
    shop floor corrected survives the re-derivation. Returns True when the machine's current
    state changed (and publishes ``mes.machine_state_changed``).
    """
    states = MachineEvent.objects.filter(machine=machine, kind=Kind.STATE)
    previous = states.filter(occurred_at__lt=since).order_by("-occurred_at", "-id").first()
    tail = list(states.filter(occurred_at__gte=since).order_by("occurred_at", "id"))
    old = {
        d.start_event_id: d for d in Downtime.objects.filter(machine=machine, started_at__gte=since)
    }
    covering = None
    if previous is not None and previous.state != State.RUNNING:
        covering = (
            Downtime.objects.filter(machine=machine, started_at__lt=since)
            .order_by("-started_at", "-id")
            .first()
        )
    current = (previous.state, previous.reason) if previous else None
    open_record = covering
    if open_record is not None:
        open_record.ended_at = None
    keep: dict[int, Downtime] = {}
    new: list[Downtime] = []
    since_changed = None
    last_state = previous.state if previous else None
    for event in tail:
        if event.state != last_state:
            since_changed = event.occurred_at
            last_state = event.state
        key = (event.state, event.reason)
        if key == current:
            continue
        current = key
        if open_record is not None:
            open_record.ended_at = event.occurred_at
            open_record = None
        if event.state == State.RUNNING:
            continue
        record = old.get(event.pk)
        if record is None:
            record = Downtime(machine=machine, start_event=event)
            new.append(record)
        else:
            keep[event.pk] = record
        record.state = event.state
        record.started_at = event.occurred_at
        record.ended_at = None
        if record.reason_corrected_at is None:
            record.reason = event.reason
        open_record = record
    gone = [d.pk for start, d in old.items() if start not in keep]
    if gone:
        Downtime.objects.filter(pk__in=gone).delete()
    if keep:
        Downtime.objects.bulk_update(
            list(keep.values()), ["state", "started_at", "ended_at", "reason"]
        )
    if new:
        Downtime.objects.bulk_create(new)
    if covering is not None:
        Downtime.objects.filter(pk=covering.pk).update(ended_at=covering.ended_at)
    latest = tail[-1] if tail else previous
    if latest is None:
        return False
    changed = latest.state != machine.state
    if changed or since_changed is not None:
        machine.state = latest.state
        if since_changed is not None:
            machine.state_since = since_changed
        elif machine.state_since is None:
            machine.state_since = latest.occurred_at
        Machine.objects.filter(pk=machine.pk).update(
            state=machine.state, state_since=machine.state_since
        )
    if changed:
        reason = latest.reason if latest.state != State.RUNNING else ""
        publish(
            topic=topics.machine_state_changed,
            payload=state_changed_payload(machine, reason=reason),
        )
    return changed
