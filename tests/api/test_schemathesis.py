"""Property-based API tests: schemathesis calls every operation of the live OpenAPI schema.

The schema is read from /api/schema/ of the WSGI application, so every endpoint added later is
covered without touching this file. Each operation runs as a staff Admin and as a partner user
(API token). Checks: never a 5xx, and statuses, content types, headers and bodies conform to
the schema (errors included: every operation documents them with the Error component).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from common.testing import PartnerFactory, partner_user, staff_user, token_for
from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's database connection open across the WSGI calls.

    Django closes connections at the start and end of each request; its test client turns
    that off, schemathesis' WSGI client does not, and on PostgreSQL closing would drop the
    test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "partner_user"])
def auth_headers(request, db) -> dict[str, str]:
    """Token headers of a staff Admin or of a partner user, with a few partners around."""
    own, *_others = PartnerFactory.create_batch(3)
    user = staff_user("Admin") if request.param == "admin" else partner_user(own)
    return {"Authorization": f"Token {token_for(user)}"}


# Examples per operation and caller: enough to hit every parameter's edges in CI's time; raise
# it for a deeper run (SCHEMATHESIS_MAX_EXAMPLES=100 python3.11 dev.py test tests/api).
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_schema(case, auth_headers):
    """No 5xx and schema-conformant answers, whatever the generated input."""
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
