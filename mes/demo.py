"""MES's demo step: machines for the demo's work centers with their ideal cycle times, a gateway
device posting for them, and three days of machine data (states with stop reasons, counters,
an alarm), so that the board, downtime and OEE show something. Loads only what is missing."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from erp_core.models import Item, WorkCenter
from mes.demo_work import work_orders_step
from mes.models import Machine, MachineDevice
from mes.selectors import day_start
from mes.services.devices import device_issue
from mes.services.machine_events import machine_events_record
from mes.services.machines import cycle_time_set, machine_save

# work center, machine code prefix, item made, its ideal cycle time in seconds
DEMO_MACHINES = (
    ("WC-CUT", "CUT", "SF-FRAME", "300"),
    ("WC-WELD", "WELD", "SF-FRAME", "1200"),
    ("WC-ASSY", "ASSY", "FG-GEARBOX", "1800"),
)
DEVICE = "Demo gateway"
DAYS = 3
STOPS = ("breakdown", "changeover", "material_shortage", "no_operator")


def _machines() -> list[Machine]:
    machines = []
    for center_code, prefix, item_code, seconds in DEMO_MACHINES:
        center = WorkCenter.objects.filter(code=center_code).first()
        if center is None:
            continue
        item = Item.objects.filter(code=item_code).first()
        for n in range(1, center.machines + 1):
            code = f"{prefix}-{n:02d}"
            machine = Machine.objects.filter(code=code).first() or machine_save(
                data={"work_center": center, "code": code, "name": f"{center.name} {n}"}
            )
            if item is not None:
                cycle_time_set(machine=machine, item=item, seconds_per_unit=Decimal(seconds))
            machines.append(machine)
    return machines


def _history(machine: Machine, item: str, cycle: Decimal, rng: random.Random) -> list[dict]:
    """Three days of a machine's data: each shift runs, stops once or twice, counts every half
    hour; the machine is idle between its shifts."""
    now = timezone.now()
    center = machine.work_center
    events: list[dict] = []
    good = scrap = 0

    def add(kind: str, at: datetime, **fields) -> None:
        if at < now - timedelta(minutes=1):
            number = len(events)
            events.append(
                {"event_id": f"demo-{machine.code}-{number}", "machine": machine.code,
                 "kind": kind, "occurred_at": at.isoformat(), **fields}
            )  # fmt: skip

    shift_length = timedelta(hours=float(center.hours_per_shift))
    for back in range(DAYS, -1, -1):
        day = timezone.localdate(now) - timedelta(days=back)
        if center.working_days[day.weekday()] != "1":
            continue
        start = timezone.make_aware(datetime.combine(day, day_start()))
        for shift in range(center.shifts_per_day):
            begin = start + shift * shift_length
            end = begin + shift_length
            add("state", begin + timedelta(minutes=rng.randint(5, 20)), state="running")
            add("counter", begin, good=good, scrap=scrap, item=item)
            at = begin + timedelta(minutes=30)
            stop_at = begin + timedelta(minutes=rng.randint(90, 300))
            stopped = False
            while at < end:
                if not stopped and at >= stop_at:
                    reason = rng.choice(STOPS)
                    add("state", stop_at, state="down", reason=reason)
                    if reason == "breakdown":
                        add("alarm", stop_at, code="E-204", text="Spindle overload")
                    add("state", stop_at + timedelta(minutes=rng.randint(10, 50)), state="running")
                    stopped = True
                made = int(Decimal(1800) / cycle * Decimal(rng.uniform(0.6, 0.9)))
                good += made
                scrap += rng.random() < 0.3
                add("counter", at, good=good, scrap=scrap, item=item)
                at += timedelta(minutes=30)
            add("state", end - timedelta(minutes=5), state="idle")
    return events


def machines_step() -> dict[str, int]:
    """The demo's machines, device and machine data."""
    created = {"machines": 0, "machine events": 0}
    before = Machine.objects.count()
    machines = _machines()
    created["machines"] = Machine.objects.count() - before
    if not machines or MachineDevice.objects.filter(name=DEVICE).exists():
        return created
    device, _token = device_issue(name=DEVICE, machines=machines)
    rng = random.Random(12)
    items = {prefix: (item, Decimal(seconds)) for _c, prefix, item, seconds in DEMO_MACHINES}
    for machine in machines:
        item, cycle = items[machine.code.split("-")[0]]
        events = _history(machine, item, cycle, rng)
        if machine.code in ("WELD-02",):  # down now, waiting for its reason
            down_at = timezone.now() - timedelta(minutes=25)
            events.append(
                {"event_id": f"demo-{machine.code}-down", "machine": machine.code,
                 "kind": "state", "state": "down", "occurred_at": down_at.isoformat()}
            )  # fmt: skip
        for start in range(0, len(events), 500):
            result = machine_events_record(device=device, events=events[start : start + 500])
            created["machine events"] += result.accepted
    return created


def mes_step() -> dict[str, int]:
    """What each part of MES loads: machines and their data first, work orders last, once the
    machines are there."""
    created: dict[str, int] = {}
    for part in (machines_step, work_orders_step):
        for key, count in part().items():
            created[key] = created.get(key, 0) + count
    return created
