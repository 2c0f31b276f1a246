"""Lines are typed: every topic that carries lines declares each line's fields, and publish
refuses a line that breaks them."""

import pytest
from django.db import transaction

from integration import topics
from integration.bus import publish
from integration.contracts import PayloadError, Topic
from integration.models import Event
from integration.topics import TOPICS

pytestmark = pytest.mark.django_db


def _shipment(*lines) -> dict:
    return {"shipment_id": 1, "sales_order_id": 2, "lines": list(lines)}


def _publish(payload: dict) -> None:
    with transaction.atomic():
        publish(topic=topics.shipment_dispatched, payload=payload)


def test_every_topic_with_lines_declares_their_fields():
    with_lines = [t for t in TOPICS.values() if {"lines", "lines?"} & t.fields.keys()]
    assert len(with_lines) >= 9
    for topic in with_lines:
        assert topic.line_fields(), topic.name


def test_well_formed_lines_are_published():
    _publish(_shipment({"sales_order_line_id": 5, "quantity": "2.500"}))
    _publish(_shipment())  # no lines is a shape, not a breach
    assert Event.objects.count() == 2


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ({"sales_order_line_id": 5}, r"missing lines\[1\]\.quantity"),
        ({"sales_order_line_id": "5", "quantity": "1"}, r"lines\[1\]\.sales_order_line_id"),
        ({"sales_order_line_id": 5, "quantity": 1.5}, r"lines\[1\]\.quantity \(expected decimal"),
        ({"sales_order_line_id": 5, "quantity": "1,5"}, r"lines\[1\]\.quantity"),
        ({"sales_order_line_id": 5, "quantity": None}, r"lines\[1\]\.quantity"),
        ({"sales_order_line_id": 5, "quantity": "1", "lot": "L1"}, r"unknown lines\[1\]\.lot"),
        ("5 pieces", r"lines\[1\] must be a JSON object"),
    ],
    ids=["missing", "wrong-type", "float", "not-a-number", "null", "unknown-field", "not-object"],
)
def test_a_line_that_breaks_its_contract_is_refused(line, problem):
    good = {"sales_order_line_id": 4, "quantity": "1"}
    with pytest.raises(PayloadError, match=problem):
        _publish(_shipment(good, line))
    assert not Event.objects.exists()


def test_lines_that_are_not_a_list_are_refused():
    with pytest.raises(PayloadError, match="expected a list of lines"):
        _publish({"shipment_id": 1, "sales_order_id": 2, "lines": {"quantity": "1"}})


def test_an_optional_line_field_may_be_absent_or_null_but_not_wrong():
    payload = {
        "purchase_order_id": 1,
        "supplier_id": 2,
        "warehouse_id": 3,
        "lines": [
            {"purchase_order_line_id": 1, "item_id": 9, "quantity": "4"},
            {"purchase_order_line_id": 2, "item_id": 9, "quantity": "4", "expected_date": None},
            {
                "purchase_order_line_id": 3,
                "item_id": 9,
                "quantity": "4",
                "expected_date": "2099-01-31",
            },
        ],
    }
    topics.purchase_order_placed.validate(payload)
    payload["lines"][2]["expected_date"] = "31/01/2099"
    with pytest.raises(PayloadError, match=r"lines\[2\]\.expected_date \(expected date\)"):
        topics.purchase_order_placed.validate(payload)


def test_a_line_schema_with_an_unknown_kind_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown kind 'money'"):
        Topic("probe.badly_declared", fields={"lines": {"amount": "money"}})
    with pytest.raises(ValueError, match="at least one field"):
        Topic("probe.badly_declared", fields={"lines": {}})
