"""Fixtures of the cross-module API tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """Throttling counts requests in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
