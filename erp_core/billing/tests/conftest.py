"""Fixtures of the billing tests: seeded books."""

import pytest

from erp_core.billing.tests.factories import seed_books


@pytest.fixture
def books(db) -> None:
    """Chart of accounts, journals, posting rules and fiscal years."""
    seed_books()
