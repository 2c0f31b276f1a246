"""Project-wide test fixtures and the skips of the embedded default.

Tests marked ``postgres`` need PostgreSQL (DATABASE_URL); tests marked ``broker`` also need a
Redis broker (CELERY_BROKER_URL) to run real Celery workers. `.ci/run` provides both; on the
embedded SQLite default they are skipped, and the skip says why.
"""

import os

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import settings as hypothesis_settings

from tests import bus_probe

pytest_plugins = ["erp_core.testing.books"]

# Property tests that leave their number of examples to the profile run a few by default, so CI
# stays light; HYPOTHESIS_PROFILE=thorough runs many more (before a release, after a change to
# the ledgers), HYPOTHESIS_MAX_EXAMPLES setting how many (60 unless given); HYPOTHESIS_PROFILE=deep
# is the deep run (5000). Tests that set max_examples keep it.
hypothesis_settings.register_profile("light", max_examples=3)
hypothesis_settings.register_profile(
    "thorough", max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "60"))
)
# The deep run of the ledgers' walks: 5,000 examples per test and method unless
# HYPOTHESIS_MAX_EXAMPLES says otherwise (docs/ledger.md, "The deep property run").
hypothesis_settings.register_profile(
    "deep",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "5000")),
    deadline=None,
    print_blob=True,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "light"))

# Tests sign users in by the thousand: a hasher made to be slow (PBKDF2's million rounds) would
# cost them most of their time. What is tested is who may sign in, not the hash's strength.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _database_is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _broker_is_redis() -> bool:
    return os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")


def pytest_collection_modifyitems(config, items) -> None:
    """Skip what the current database and broker cannot run, with the reason."""
    no_pg = pytest.mark.skip(
        reason="needs PostgreSQL: set DATABASE_URL (skipped on the embedded SQLite default)"
    )
    no_broker = pytest.mark.skip(
        reason="needs PostgreSQL and a Redis broker for real Celery workers: set DATABASE_URL "
        "and CELERY_BROKER_URL (skipped on the embedded default)"
    )
    for item in items:
        if "broker" in item.keywords and not (_database_is_postgres() and _broker_is_redis()):
            item.add_marker(no_broker)
        elif "postgres" in item.keywords and not _database_is_postgres():
            item.add_marker(no_pg)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the test database is made, add the bus probe's plain tables.

    At the end, on PostgreSQL, end the sessions other threads left open (the live server's
    request threads), so that the test database can be dropped.
    """
    with django_db_blocker.unblock():
        bus_probe.create_tables()
    yield
    if _database_is_postgres():
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def probe(db):
    """The bus probe module, its tables emptied."""
    bus_probe.clear_tables()
    return bus_probe


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A request in Chinese leaves its language active in the thread (the locale middleware
    activates it and nothing deactivates it): each test starts and ends in the default one."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
