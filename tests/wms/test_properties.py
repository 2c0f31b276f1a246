"""A hypothesis state machine over the WMS operations: after every step (events delivered),
invariant 1 (quants equal the ERP's balances) and invariant 4 (no quant below zero, reserved
never above on hand) hold, and ``reconcile`` is clean."""

from contextlib import suppress
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from common.errors import DomainError
from erp_core.tests.factories import ItemFactory, WarehouseFactory
from tests.wms.conftest import run_warehouse
from tests.wms.helpers import breaches, deliver_all
from wms.models import Quant
from wms.services import counts
from wms.services.stock import quant_add, quant_move, quant_remove, quant_reserve, quant_unreserve

pytestmark = pytest.mark.django_db

QUANTITIES = st.integers(min_value=1, max_value=30).map(D)


class WarehouseWork(RuleBasedStateMachine):
    """Two WMS-run warehouses, one item, random work in their bins."""

    def __init__(self) -> None:
        super().__init__()
        self.item = ItemFactory()
        self.bins = []
        for code in ("X", "Y"):
            self.bins.extend(list(run_warehouse(WarehouseFactory(), zone_code=code).values()))
        self.bins = [bin for bin in self.bins if bin.bin_type != "transit"]

    def _try(self, work) -> None:
        with suppress(ValidationError, DomainError):  # refused: nothing written
            work()
        deliver_all()

    @rule(at=st.integers(0, 9), quantity=QUANTITIES)
    def add(self, at, quantity):
        bin = self.bins[at % len(self.bins)]
        self._try(lambda: quant_add(bin=bin, item=self.item, quantity=quantity,
                                    reason="adjustment", ledger_reason="adjustment"))  # fmt: skip

    @rule(at=st.integers(0, 9), quantity=QUANTITIES)
    def remove(self, at, quantity):
        bin = self.bins[at % len(self.bins)]
        self._try(
            lambda: quant_remove(
                bin=bin, item=self.item, quantity=quantity, reason="adjustment",
                ledger_reason="adjustment",
            )
        )  # fmt: skip

    @rule(at=st.integers(0, 9), quantity=QUANTITIES, release=st.booleans())
    def reserve(self, at, quantity, release):
        bin = self.bins[at % len(self.bins)]
        service = quant_unreserve if release else quant_reserve
        self._try(lambda: service(bin=bin, item=self.item, quantity=quantity))

    @rule(a=st.integers(0, 9), b=st.integers(0, 9), quantity=QUANTITIES)
    def move(self, a, b, quantity):
        source, target = self.bins[a % len(self.bins)], self.bins[b % len(self.bins)]
        self._try(lambda: quant_move(from_bin=source, to_bin=target, item=self.item,
                                     quantity=quantity, reason="transfer"))  # fmt: skip

    @rule(at=st.integers(0, 9), found=st.integers(0, 40).map(D))
    def count(self, at, found):
        bin = self.bins[at % len(self.bins)]

        def work() -> None:
            count = counts.count_start(warehouse=bin.warehouse, bins=[bin])
            counts.count_record(count=count, bin_barcode=bin.barcode, barcode=self.item.code,
                                quantity=found)  # fmt: skip
            counts.count_submit(count=count, actor=None)
            counts.count_approve(count=count, actor=None)

        self._try(work)

    @invariant()
    def books_and_bins_agree(self):
        assert breaches() == []
        for quant in Quant.objects.filter(item=self.item):
            assert D(0) <= quant.reserved <= quant.on_hand


def test_random_warehouse_work_keeps_the_invariants(books):
    run_state_machine_as_test(
        WarehouseWork,
        settings=settings(
            max_examples=settings.default.max_examples,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
