"""Rescheduling benchmark: 500 open operations over 8 machines, one machine goes down.

Builds a throw-away database (SQLite file by default, or ``--database-url``), 100 released
production orders of five operations each on two work centers of four machines each (machines
learned from ``mes.machine_state_changed`` like MES reports them), runs the scheduler once, then
delivers "machine down" for one machine through the receiver and times it until the new plan is
saved and ``erp.schedule_changed`` is written. Prints each figure on its own line.

    python -m benchmarks.reschedule [--orders 100] [--seconds 5] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _deliver(handlers, event, already) -> None:
    """Run the receiver unless the bus already delivered the event on commit (eager Celery)."""
    with contextlib.suppress(already):
        handlers.machine_state_changed(event)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100, help="orders of five operations")
    parser.add_argument("--seconds", type=float, default=5, help="time limit of the first run")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="zt-resched-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from erp_core.masterdata import services as erp_services
    from erp_core.models import (
        Item,
        ItemCategory,
        UnitOfMeasure,
        Warehouse,
        WorkCenter,
    )
    from erp_core.production.models import (
        ProductionOrder,
        ProductionOrderOperation,
    )
    from erp_core.scheduling import handlers
    from erp_core.scheduling.models import ScheduleChange, ScheduledOperation
    from erp_core.scheduling.services import schedule_run
    from integration import topics
    from integration.bus import AlreadyHandled, publish
    from integration.models import Event

    call_command("migrate", verbosity=0)
    unit = UnitOfMeasure.objects.create(
        code="PCS", name="Piece", category=UnitOfMeasure.Category.COUNT
    )
    category = ItemCategory.objects.create(code="FG", name="Goods")
    item = Item.objects.create(
        code="BENCH", name="Bench item", unit=unit, category=category,
        make_or_buy=Item.MakeOrBuy.MAKE, item_type=Item.ItemType.FINISHED_GOOD,
    )  # fmt: skip
    steel = Item.objects.create(
        code="STEEL", name="Steel", unit=unit, category=category,
        item_type=Item.ItemType.RAW_MATERIAL,
    )  # fmt: skip
    always = {"working_days": "1111111", "shifts_per_day": 3, "hours_per_shift": Decimal(8)}
    centers = [
        WorkCenter.objects.create(code=f"WC{n}", name=f"Center {n}", machines=4, **always)
        for n in (1, 2)
    ]
    warehouse = Warehouse.objects.create(code="WH", name="Stores")
    bom = erp_services.bom_create(
        item=item, version="1", valid_from=dt.date(2020, 1, 1),
        lines=[{"component": steel, "quantity_per": Decimal(1)}],
    )  # fmt: skip
    now = timezone.now()
    machine_ids = {}
    for index, center in enumerate(centers):
        for m in range(4):
            machine_id = 100 + index * 10 + m
            machine_ids.setdefault(center.pk, []).append(machine_id)
            with transaction.atomic():
                event = publish(
                    topic=topics.machine_state_changed,
                    payload={
                        "machine_id": machine_id,
                        "work_center_id": center.pk,
                        "state": "idle",
                        "changed_at": now.isoformat(),
                    },
                )
            _deliver(handlers, event, AlreadyHandled)
    today = timezone.localdate()
    operations = []
    for n in range(args.orders):
        order = ProductionOrder.objects.create(
            number=f"MO-BENCH-{n:04d}",
            date=today,
            item=item,
            quantity=Decimal(1),
            warehouse=warehouse,
            component_warehouse=warehouse,
            bom=bom,
            due_date=today + dt.timedelta(days=2 + n % 10),
            status=ProductionOrder.Status.RELEASED,
        )
        for sequence in range(5):
            operations.append(
                ProductionOrderOperation(
                    order=order,
                    sequence=(sequence + 1) * 10,
                    work_center=centers[(n + sequence) % 2],
                    planned_hours=Decimal(1 + (n * 7 + sequence * 3) % 5),
                )
            )
    ProductionOrderOperation.objects.bulk_create(operations)
    started = time.perf_counter()
    first = schedule_run(seconds=Decimal(str(args.seconds)))
    print(f"operations {first.operation_count}")
    print("machines 8")
    print(f"first run seconds {time.perf_counter() - started:.2f} ({first.method})")
    down = machine_ids[centers[0].pk][0]
    on_down = ScheduledOperation.objects.filter(schedule=first, resource__machine_id=down).count()
    started = time.perf_counter()
    with transaction.atomic():
        event = publish(
            topic=topics.machine_state_changed,
            payload={
                "machine_id": down,
                "work_center_id": centers[0].pk,
                "state": "down",
                "changed_at": timezone.now().isoformat(),
            },
        )
    _deliver(handlers, event, AlreadyHandled)
    seconds = time.perf_counter() - started
    published = Event.objects.filter(topic="erp.schedule_changed").order_by("-occurred_at").first()
    latest = first.__class__.objects.get(is_current=True)
    moved = ScheduleChange.objects.filter(schedule=latest).count()
    print(f"operations on the machine that went down {on_down}")
    print(f"operations moved {moved}")
    print(f"operations kept in place {latest.operation_count - moved}")
    print(f"machine down to new plan published seconds {seconds:.2f}")
    print(f"event operations {len(published.payload['operations'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
