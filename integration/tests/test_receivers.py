"""Receivers are declared once (topic, stable name, order) and delivered in their order."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from integration import services, topics
from integration.bus import AlreadyHandled, publish
from integration.models import Delivery, Event, EventReceipt
from integration.receivers import ReceiverRegistry, on, registry
from integration.topics import TOPICS, declare

pytestmark = pytest.mark.django_db

BUS = {
    "MAX_ATTEMPTS": 2,
    "BACKOFF_BASE_SECONDS": 5,
    "BACKOFF_MAX_SECONDS": 60,
    "SWEEP_GRACE_SECONDS": 30,
}

ordered_happened = TOPICS.get("probe.ordered_happened") or declare(
    "probe.ordered_happened",
    fields={"fail": "list"},
    description="Test-only: receivers that depend on each other.",
)

# Every receiver's name is the key of the receipts it wrote: renaming one re-applies old events.
NAMES = {
    "crm.quote_accepted": ["sales.order_from_quote"],
    "crm.account_opened": ["sales.customer_from_crm_account"],
    "erp.customer_registered": ["crm.bind_customer"],
    "erp.sales_order_confirmed": [
        "erp_core.planning.replan_confirmed",
        "wms.outbound_from_sales_order",
        "crm.win_opportunity",
    ],
    "erp.invoice_posted": ["crm.receivable_from_invoice"],
    "erp.credit_note_posted": ["crm.credit_from_credit_note"],
    "erp.invoice_unposted": ["crm.withdraw_posting"],
    "erp.payment_received": ["crm.apply_payment"],
    "erp.sales_order_cancelled": ["erp_core.planning.replan_cancelled", "wms.outbound_cancelled"],
    "wms.shipment_dispatched": [
        "sales.delivery_from_shipment",
        "billing.invoice_from_shipment",
        "mes.lots_shipped",
        "crm.trace_shipped_lots",
    ],
    "wms.receipt_completed": ["erp_core.purchasing.book_wms_receipt"],
    "mes.materials_consumed": ["erp_core.production.consume_materials", "crm.trace_input_lots"],
    "mes.output_reported": ["erp_core.production.report_output", "crm.trace_output_lot"],
    "mes.time_booked": ["erp_core.production.book_time"],
    "erp.production_order_released": ["mes.work_order_from_release"],
    "erp.production_order_unreleased": ["mes.work_order_unreleased"],
    "erp.schedule_changed": ["mes.queues_from_schedule", "crm.flag_slipped_promises"],
}


def test_the_product_receivers_keep_their_names_and_order():
    for topic, names in NAMES.items():
        assert [r.name for r in registry.receivers_of(topic)] == names, topic
    registry.check()  # no unknown name, no cycle


def test_a_name_declared_twice_is_refused_at_import():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):

        @on(topics.quote_accepted, name="sales.order_from_quote")
        def another(event):  # pragma: no cover - never registered
            pass

    assert [r.name for r in registry.receivers_of("crm.quote_accepted")] == [
        "sales.order_from_quote"
    ]


def test_an_unknown_name_in_after_is_refused():
    local = ReceiverRegistry()
    on(topics.quote_accepted, name="a", after=("nobody",), registry=local)(lambda event: None)
    with pytest.raises(ImproperlyConfigured, match="'nobody', which is not a declared receiver"):
        local.check()


def test_a_receiver_of_another_topic_in_after_is_refused():
    local = ReceiverRegistry()
    on(topics.payment_received, name="a", registry=local)(lambda event: None)
    on(topics.quote_accepted, name="b", after=("a",), registry=local)(lambda event: None)
    with pytest.raises(ImproperlyConfigured, match="another topic"):
        local.check()


def test_a_cycle_is_refused():
    local = ReceiverRegistry()
    on(topics.quote_accepted, name="a", after=("c",), registry=local)(lambda event: None)
    on(topics.quote_accepted, name="b", after=("a",), registry=local)(lambda event: None)
    on(topics.quote_accepted, name="c", after=("b",), registry=local)(lambda event: None)
    on(topics.quote_accepted, name="free", registry=local)(lambda event: None)
    with pytest.raises(ImproperlyConfigured, match="cycle: a, b, c"):
        local.check()
    with pytest.raises(ImproperlyConfigured, match="comes after itself"):
        on(topics.quote_accepted, name="d", after=("d",), registry=local)(lambda event: None)


def test_the_system_check_refuses_a_broken_order_at_startup():
    on(topics.quote_accepted, name="tests.orphan", after=("tests.nobody",))(lambda event: None)
    try:
        errors = [e for e in run_checks() if e.id == "integration.E001"]
        assert len(errors) == 1
        assert "tests.nobody" in errors[0].msg
    finally:
        registry.remove("tests.orphan")
    assert not [e for e in run_checks() if e.id == "integration.E001"]


def test_the_body_runs_inside_handled_once_under_the_declared_name():
    local = ReceiverRegistry()
    calls = []

    @on(topics.payment_received, name="tests.count_payment", registry=local)
    def count_payment(event):
        """Counts."""
        calls.append(event.pk)

    assert count_payment.__doc__ == "Counts." and count_payment.__name__ == "count_payment"
    with transaction.atomic():
        event = publish(
            topic=topics.payment_received,
            payload={"payment_id": 1, "partner_id": 2, "amount": "1.00"},
        )
    count_payment(event)
    with pytest.raises(AlreadyHandled):
        count_payment(event)
    assert calls == [event.pk]
    assert EventReceipt.objects.get(event_id=event.pk).receiver == "tests.count_payment"


# --- Order of delivery --------------------------------------------------------------------------


@pytest.fixture
def ordered():
    """Three receivers of one topic, declared in the reverse of their order; yields their log.

    ``tests.third`` comes after ``tests.second``, which comes after ``tests.first``. Each notes
    every call in ``called`` and, unless its name is in the payload's ``fail`` list (then it
    raises), in ``applied``.
    """
    log: dict[str, list[str]] = {"called": [], "applied": []}

    def receiver(name: str):
        def apply(event: Event) -> None:
            log["called"].append(name)
            if name in event.payload["fail"]:
                raise RuntimeError(f"{name} fails")
            log["applied"].append(name)

        return apply

    on(ordered_happened, name="tests.third", after=("tests.second",))(receiver("tests.third"))
    on(ordered_happened, name="tests.second", after=("tests.first",))(receiver("tests.second"))
    on(ordered_happened, name="tests.first")(receiver("tests.first"))
    yield log
    for name in ("tests.first", "tests.second", "tests.third"):
        registry.remove(name)


def _publish(capture, fail: list[str]) -> Event:
    with capture(execute=True), transaction.atomic():
        event = publish(topic=ordered_happened, payload={"fail": fail})
    event.refresh_from_db()
    return event


def test_receivers_run_in_their_declared_order_in_eager_mode(
    ordered, django_capture_on_commit_callbacks
):
    assert [r.name for r in registry.receivers_of(ordered_happened.name)] == [
        "tests.first",
        "tests.second",
        "tests.third",
    ]
    event = _publish(django_capture_on_commit_callbacks, fail=[])
    assert event.status == Event.Status.DELIVERED
    assert ordered["called"] == ["tests.first", "tests.second", "tests.third"]


@override_settings(ZHONGTAI_BUS=BUS)
def test_a_receiver_waits_while_the_one_it_comes_after_fails(
    ordered, django_capture_on_commit_callbacks
):
    event = _publish(django_capture_on_commit_callbacks, fail=["tests.first"])
    assert event.status == Event.Status.RETRYING
    assert ordered["called"] == ["tests.first"]  # the second and third were not called
    failing = Delivery.objects.get(event=event)
    assert (failing.receiver, failing.status) == ("tests.first", Delivery.Status.FAILING)

    # The cause is fixed; the retry runs the first, then those after it.
    Event.objects.filter(pk=event.pk).update(payload={"fail": []}, next_attempt_at=timezone.now())
    assert services.outbox_sweep() == 1
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED
    assert ordered["applied"] == ["tests.first", "tests.second", "tests.third"]
    assert Delivery.objects.get(event=event).status == Delivery.Status.DONE


@override_settings(ZHONGTAI_BUS=BUS)
def test_a_receiver_waits_for_a_dead_one_until_it_is_replayed(
    ordered, django_capture_on_commit_callbacks
):
    event = _publish(django_capture_on_commit_callbacks, fail=["tests.second"])
    services.event_deliver(event_id=event.pk, now=timezone.now() + dt.timedelta(hours=1))
    event.refresh_from_db()
    assert event.status == Event.Status.DEAD
    assert ordered["called"] == ["tests.first", "tests.second", "tests.second"]  # not the third
    assert list(Delivery.objects.filter(event=event).values_list("receiver", "status")) == [
        ("tests.second", Delivery.Status.DEAD)
    ]

    Event.objects.filter(pk=event.pk).update(payload={"fail": []})
    with django_capture_on_commit_callbacks(execute=True):
        services.event_replay(event_id=event.pk)
    event.refresh_from_db()
    assert event.status == Event.Status.DELIVERED
    assert ordered["applied"] == ["tests.first", "tests.second", "tests.third"]


@override_settings(ZHONGTAI_BUS=BUS)
def test_a_later_receiver_failing_does_not_run_the_earlier_again(
    ordered, django_capture_on_commit_callbacks
):
    event = _publish(django_capture_on_commit_callbacks, fail=["tests.third"])
    assert event.status == Event.Status.RETRYING
    Event.objects.filter(pk=event.pk).update(payload={"fail": []})
    services.event_deliver(event_id=event.pk, now=timezone.now() + dt.timedelta(hours=1))
    assert ordered["applied"] == ["tests.first", "tests.second", "tests.third"]
    assert Event.objects.get(pk=event.pk).status == Event.Status.DELIVERED


def test_failing_deliveries_booked_under_a_function_path_take_the_receivers_name():
    migration = importlib.import_module(
        "integration.migrations.0002_delivery_receiver_stable_names"
    )
    with transaction.atomic():
        event = publish(
            topic=topics.payment_received,
            payload={"payment_id": 1, "partner_id": 2, "amount": "1.00"},
        )
    Delivery.objects.create(
        event=event,
        receiver="erp_core.billing.handlers.invoice_shipment",
        status=Delivery.Status.DEAD,
        attempts=5,
    )
    migration.rename(apps, None)
    assert Delivery.objects.get().receiver == "billing.invoice_from_shipment"
    assert set(migration.RENAMED.values()) <= {r.name for r in registry}
