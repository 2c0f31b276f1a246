"""The WMS transfer API through the shared resource checks, its limits included."""

from decimal import Decimal as D

import pytest
from django.utils.functional import cached_property

from common.testing import APIResourceTests, api_client, assert_error_body, staff_user
from erp_core.models import UnitOfMeasure
from erp_core.stock import services as stock
from erp_core.tests.factories import ItemFactory, WarehouseFactory
from tests.wms.conftest import run_warehouse
from wms.models import Transfer
from wms.services.internal import transfer_create


@pytest.mark.usefixtures("books")
class TestTransferAPI(APIResourceTests):
    list_url = "/api/v1/wms/transfers/"
    model = Transfer
    max_queries = 10

    limit_checks = (
        ("lines.0.quantity", "1000000000", "1000000000.000001"),
        ("lines.0.quantity", "0.000001", "0"),
    )

    @cached_property
    def site(self) -> dict:
        """Two warehouses WMS runs, 40 of an item in the first's stock bin."""
        item = ItemFactory()
        source, target = WarehouseFactory(), WarehouseFactory()
        stock.stock_receipt(item=item, warehouse=source, quantity=D("40"), unit_cost=D("10"))
        bins = run_warehouse(source)
        run_warehouse(target, zone_code="B")
        return {"item": item, "source": source, "target": target, "bin": bins["stock"]}

    def make_object(self, partner=None):
        site = self.site
        return transfer_create(
            from_warehouse=site["source"],
            to_warehouse=site["target"],
            lines=[{"item": site["item"], "from_bin": site["bin"], "quantity": "2"}],
        )

    def valid_create_payload(self):
        site = self.site
        return {
            "from_warehouse": site["source"].pk,
            "to_warehouse": site["target"].pk,
            "lines": [{"item": site["item"].pk, "from_bin": site["bin"].pk, "quantity": "2"}],
        }

    def invalid_create_payload(self):
        payload = self.valid_create_payload()
        payload["to_warehouse"] = payload["from_warehouse"]
        return payload

    def allowed_user(self):
        return staff_user("Warehouse")

    def wrong_role_user(self):
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        return None  # partners never see the warehouse's work

    @pytest.mark.django_db
    def test_half_a_piece_is_refused_when_the_unit_counts_whole_pieces(self) -> None:
        UnitOfMeasure.objects.filter(pk=self.site["item"].unit_id).update(decimals=0)
        payload = self.valid_create_payload()
        payload["lines"][0]["quantity"] = "1.5"
        response = api_client(self.allowed_user()).post(self.list_url, payload, format="json")
        body = assert_error_body(response, 400)
        assert self.site["item"].code in str(body)
        assert not Transfer.objects.exists()
