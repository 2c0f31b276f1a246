"""Fixtures of the planning tests: the production tests' plant (gearboxes from shafts, housings
and a phantom grease kit, on an assembly line) and a customer (``books`` is shared)."""

import pytest

from erp_core.models import Partner
from erp_core.production.tests.conftest import plant  # noqa: F401 - the shared plant
from erp_core.tests.factories import PartnerFactory


@pytest.fixture
def customer(db) -> Partner:
    """An active customer without a credit limit."""
    return PartnerFactory(kind=Partner.Kind.CUSTOMER)
