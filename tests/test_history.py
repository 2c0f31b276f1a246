"""The change history shown on detail pages (common.history.history_rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.history import history_rows
from erp_core.masterdata import services
from erp_core.models import Partner

pytestmark = pytest.mark.django_db


def test_rows_show_each_real_change_newest_first_and_skip_saves_that_changed_nothing():
    partner = services.partner_create(code="C-H", name="Old name", kind=Partner.Kind.CUSTOMER)
    partner = services.partner_update(partner=partner, name="New name")
    partner.save()  # nothing a person reads changed
    partner = services.partner_update(partner=partner, kind=Partner.Kind.BOTH)

    with CaptureQueriesContext(connection) as queries:
        rows = history_rows(partner)
    assert len(queries) == 1
    assert [row.history_type for row in rows] == ["~", "~", "+"]
    kind, name = rows[0].changes, rows[1].changes
    assert [(c.field, str(c.old), str(c.new)) for c in kind] == [
        ("kind", str(Partner.Kind.CUSTOMER.label), str(Partner.Kind.BOTH.label))
    ]
    assert [(c.field, c.old, c.new) for c in name] == [("name", "Old name", "New name")]
