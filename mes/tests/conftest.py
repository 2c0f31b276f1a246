"""Fixtures of the MES tests: a work center with machines, an item, and a device with its token."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from erp_core.tests.factories import ItemFactory, WorkCenterFactory
from mes.models import Machine
from mes.services.devices import device_issue


@pytest.fixture
def work_center(db):
    """An ERP work center: one 8-hour shift, Monday to Friday."""
    return WorkCenterFactory(code="WC-CNC")


@pytest.fixture
def item(db):
    """An item the machines make."""
    return ItemFactory(code="PART-1")


def make_machine(work_center, code: str, **fields) -> Machine:
    """A machine of ``work_center``, idle."""
    return Machine.objects.create(
        work_center=work_center, code=code, name=f"Machine {code}", **fields
    )


@pytest.fixture
def machine(work_center):
    """Machine M1."""
    return make_machine(work_center, "M1")


@pytest.fixture
def other_machine(work_center):
    """Machine M2, which the device may not post for."""
    return make_machine(work_center, "M2")


@pytest.fixture
def device(machine):
    """A gateway allowed to post for M1; ``device.plain_token`` is its token."""
    dev, token = device_issue(name="Gateway 1", machines=[machine])
    dev.plain_token = token
    return dev


def device_client(device) -> APIClient:
    """An API client authenticated by the device's token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device.plain_token}")
    return client


def ago(minutes: float) -> datetime:
    """A moment ``minutes`` before now."""
    return timezone.now() - timedelta(minutes=minutes)


def state(event_id: str, at: datetime, value: str, reason: str = "", machine: str = "M1") -> dict:
    """A state-change event body."""
    body = {"event_id": event_id, "machine": machine, "kind": "state",
            "occurred_at": at.isoformat(), "state": value}  # fmt: skip
    if reason:
        body["reason"] = reason
    return body


def counter(
    event_id: str, at: datetime, good: int, scrap: int = 0, machine: str = "M1", **extra
) -> dict:
    """A counter-reading event body."""
    return {"event_id": event_id, "machine": machine, "kind": "counter",
            "occurred_at": at.isoformat(), "good": good, "scrap": scrap, **extra}  # fmt: skip
