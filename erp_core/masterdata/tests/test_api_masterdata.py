"""The master data resources under /api/v1/erp/: the shared resource checks for items,
warehouses, work centers and BOMs, plus BOM cycles, explosion, where-used and pinyin search."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from common.testing import (
    APIResourceTests,
    PartnerFactory,
    api_client,
    assert_error_body,
    partner_user,
    staff_user,
)
from erp_core.masterdata import services
from erp_core.models import (
    BillOfMaterials,
    BomLine,
    Currency,
    Item,
    Partner,
    TaxCode,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)
from erp_core.tests.factories import (
    CurrencyFactory,
    ItemFactory,
    UnitOfMeasureFactory,
    WarehouseFactory,
    WorkCenterFactory,
    erp_user,
)

D = Decimal
API = "/api/v1/erp/"


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """Throttling counts requests in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


class _MasterData:
    """What every master data resource shares: who may use it, and partners never see it."""

    def allowed_user(self):
        """Every master data permission and the ERP module."""
        return erp_user()

    def wrong_role_user(self):
        """The shop floor has no ERP access."""
        return staff_user("Shop floor")

    def partner_user_for(self, obj):
        """Partners see no master data."""
        return None


class TestItemAPI(_MasterData, APIResourceTests):
    list_url = f"{API}items/"
    model = Item
    max_queries = 8

    def wrong_role_user(self):
        """Every role reads items (the shop floor those it issues): a user with none may not."""
        return staff_user()

    def make_object(self, partner=None):
        return ItemFactory()

    def valid_create_payload(self):
        return {
            "code": "RM-NEW",
            "name": "钢板料",
            "item_type": "raw",
            "unit": UnitOfMeasureFactory().pk,
            "min_order_qty": "10",
            "order_multiple": "5",
        }

    def invalid_create_payload(self):
        return {"name": "No code", "item_type": "gadget"}


class TestWarehouseAPI(_MasterData, APIResourceTests):
    list_url = f"{API}warehouses/"
    model = Warehouse
    max_queries = 8

    def wrong_role_user(self):
        """Every role reads warehouses: a user with none may not."""
        return staff_user()

    def make_object(self, partner=None):
        return WarehouseFactory()

    def valid_create_payload(self):
        return {"code": "WH-NEW", "name": "原材料仓", "allow_negative_stock": False}

    def invalid_create_payload(self):
        return {"name": "No code"}


class TestWorkCenterAPI(_MasterData, APIResourceTests):
    list_url = f"{API}work-centers/"
    model = WorkCenter
    max_queries = 8

    def make_object(self, partner=None):
        return WorkCenterFactory()

    def valid_create_payload(self):
        return {
            "code": "WC-NEW",
            "name": "焊接",
            "machines": 3,
            "hours_per_shift": "8",
            "shifts_per_day": 2,
            "working_days": "1111110",
            "machine_rate_per_hour": "60.00",
            "labour_rate_per_hour": "55.00",
        }

    def invalid_create_payload(self):
        return {"code": "WC-BAD", "name": "Bad", "machines": 0, "working_days": "everyday"}


def _semi(code: str) -> Item:
    return ItemFactory(code=code, item_type="semi", make_or_buy="make")


class TestBomAPI(_MasterData, APIResourceTests):
    list_url = f"{API}boms/"
    model = BillOfMaterials
    max_queries = 8

    def make_object(self, partner=None):
        return services.bom_create(
            item=_semi(f"P{Item.objects.count()}"),
            version="1",
            valid_from=date(2025, 1, 1),
            lines=[
                {"component": ItemFactory(), "quantity_per": D(2)},
                {"component": ItemFactory(), "quantity_per": D(1)},
            ],
        )

    def valid_create_payload(self):
        return {
            "item": _semi("FG-NEW").pk,
            "version": "A",
            "valid_from": "2025-01-01",
            "lines": [
                {"component": ItemFactory().pk, "quantity_per": "2", "scrap_percent": "5"},
                {"component": ItemFactory().pk, "quantity_per": "0.5", "is_phantom": False},
            ],
        }

    def invalid_create_payload(self):
        return {
            "item": _semi("FG-BAD").pk,
            "version": "A",
            "valid_from": "2025-01-01",
            "lines": [{"component": ItemFactory().pk, "quantity_per": "0"}],
        }


@pytest.mark.django_db
def test_every_master_data_list_answers_for_an_allowed_user():
    client = api_client(erp_user("view"))
    for resource in (
        "units",
        "unit-conversions",
        "item-categories",
        "items",
        "tax-codes",
        "currencies",
        "exchange-rates",
        "warehouses",
        "work-centers",
        "boms",
        "routings",
    ):
        response = client.get(f"{API}{resource}/")
        assert response.status_code == 200, (resource, response.content[:300])


@pytest.mark.django_db
def test_view_only_user_may_not_create():
    client = api_client(erp_user("view"))
    response = client.post(f"{API}warehouses/", {"code": "W", "name": "W"}, format="json")
    assert_error_body(response, 403, "permission_denied")
    assert not Warehouse.objects.exists()


@pytest.mark.django_db
def test_partner_user_sees_no_master_data():
    client = api_client(partner_user(PartnerFactory()))
    assert_error_body(client.get(f"{API}items/"), 403)
    assert_error_body(client.get(f"{API}units/"), 403)


@pytest.mark.django_db
def test_item_create_computes_initials_and_search_finds_them():
    client = api_client(erp_user())
    unit = UnitOfMeasureFactory()
    response = client.post(
        f"{API}items/",
        {"code": "RM-1", "name": "钢板料", "item_type": "raw", "unit": unit.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["pinyin_initials"] == "GBL"
    assert response.json()["unit_code"] == unit.code
    ItemFactory(code="OTHER", name="Bearing")
    found = client.get(f"{API}items/", {"search": "gbl"}).json()["results"]
    assert [row["code"] for row in found] == ["RM-1"]


@pytest.mark.django_db
def test_item_service_rules_are_400_with_field_errors():
    client = api_client(erp_user())
    response = client.post(
        f"{API}items/",
        {
            "code": "SV-1",
            "name": "Install",
            "item_type": "service",
            "unit": UnitOfMeasureFactory().pk,
            "tracking": "serial",
            "min_order_qty": "0",
        },
        format="json",
    )
    body = assert_error_body(response, 400, "invalid")
    assert {"tracking", "min_order_qty"} <= set(body["errors"])
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_item_duplicate_code_and_patch():
    item = ItemFactory(code="DUP", name="钢板")
    client = api_client(erp_user())
    response = client.post(
        f"{API}items/",
        {"code": "DUP", "name": "X", "item_type": "raw", "unit": item.unit_id},
        format="json",
    )
    assert "code" in assert_error_body(response, 400, "invalid")["errors"]
    response = client.patch(f"{API}items/{item.pk}/", {"name": "电机"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["pinyin_initials"] == "DJ"


@pytest.mark.django_db
def test_item_in_use_cannot_be_deleted_409():
    part = ItemFactory()
    services.bom_create(
        item=_semi("P"),
        version="1",
        valid_from=date(2025, 1, 1),
        lines=[{"component": part, "quantity_per": D(1)}],
    )
    response = api_client(erp_user()).delete(f"{API}items/{part.pk}/")
    assert_error_body(response, 409)
    assert Item.objects.filter(pk=part.pk).exists()


@pytest.mark.django_db
def test_bom_cycle_is_400_naming_the_path_and_writes_nothing():
    a, b = _semi("A"), _semi("B")
    services.bom_create(
        item=a,
        version="1",
        valid_from=date(2025, 1, 1),
        lines=[{"component": b, "quantity_per": 1}],
    )
    client = api_client(erp_user())
    response = client.post(
        f"{API}boms/",
        {
            "item": b.pk,
            "version": "1",
            "valid_from": "2025-01-01",
            "lines": [{"component": a.pk, "quantity_per": "1"}],
        },
        format="json",
    )
    body = assert_error_body(response, 400, "invalid")
    assert "B → A → B" in body["errors"]["lines"][0]
    assert BillOfMaterials.objects.count() == 1
    assert BomLine.objects.count() == 1


@pytest.mark.django_db
def test_bom_create_is_idempotent_with_a_key():
    client = api_client(erp_user())
    payload = {
        "item": _semi("P").pk,
        "version": "1",
        "valid_from": "2025-01-01",
        "lines": [{"component": ItemFactory().pk, "quantity_per": "3"}],
    }
    first = client.post(f"{API}boms/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(f"{API}boms/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert BillOfMaterials.objects.count() == 1


@pytest.mark.django_db
def test_bom_patch_replaces_lines_and_keeps_them_when_not_sent():
    bom = TestBomAPI().make_object()
    client = api_client(erp_user())
    url = f"{API}boms/{bom.pk}/"
    response = client.patch(url, {"valid_to": "2030-12-31"}, format="json")
    assert response.status_code == 200, response.content
    assert len(response.json()["lines"]) == 2
    new_part = ItemFactory(code="NEW")
    response = client.patch(
        url, {"lines": [{"component": new_part.pk, "quantity_per": "4"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [line["component_code"] for line in response.json()["lines"]] == ["NEW"]


@pytest.mark.django_db
def test_explode_endpoint_returns_levels_and_requirements():
    steel, frame, fg = ItemFactory(code="STEEL"), _semi("FRAME"), _semi("FG")
    services.bom_create(
        item=frame,
        version="1",
        valid_from=date(2025, 1, 1),
        lines=[{"component": steel, "quantity_per": D("12.5"), "scrap_percent": D(4)}],
    )
    bom = services.bom_create(
        item=fg,
        version="1",
        valid_from=date(2025, 1, 1),
        lines=[{"component": frame, "quantity_per": D(2)}],
    )
    client = api_client(erp_user("view"))
    response = client.get(f"{API}boms/{bom.pk}/explode/", {"quantity": "3", "date": "2026-01-01"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["quantity"] == "3.000000"
    assert [(ln["level"], ln["component_code"], ln["quantity"]) for ln in body["lines"]] == [
        (1, "FRAME", "6.000000"),
        (2, "STEEL", "78.000000"),  # 6 × 12.5 × 1.04
    ]
    assert body["requirements"] == [
        {
            "component": steel.pk,
            "component_code": "STEEL",
            "unit": steel.unit.code,
            "quantity": "78.000000",
        }
    ]
    bad = client.get(f"{API}boms/{bom.pk}/explode/", {"quantity": "-1"})
    assert "quantity" in assert_error_body(bad, 400, "invalid")["errors"]

    used = client.get(f"{API}items/{steel.pk}/where-used/")
    assert used.status_code == 200, used.content
    assert [(row["level"], row["parent_code"]) for row in used.json()] == [(1, "FRAME"), (2, "FG")]


@pytest.mark.django_db
def test_explode_without_date_uses_today():
    bom = TestBomAPI().make_object()
    response = api_client(erp_user("view")).get(f"{API}boms/{bom.pk}/explode/")
    assert response.status_code == 200, response.content
    assert len(response.json()["requirements"]) == 2


@pytest.mark.django_db
def test_routing_create_with_operations():
    client = api_client(erp_user())
    center = WorkCenterFactory()
    response = client.post(
        f"{API}routings/",
        {
            "item": _semi("P").pk,
            "version": "1",
            "valid_from": "2025-01-01",
            "operations": [
                {"work_center": center.pk, "setup_minutes": "30", "run_minutes_per_unit": "2.5"},
                {"work_center": center.pk, "description": "Test run"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert [op["sequence"] for op in response.json()["operations"]] == [10, 20]


@pytest.mark.django_db
def test_small_resources_create_and_refuse_bad_input():
    client = api_client(erp_user())
    ok = client.post(f"{API}units/", {"code": "KG", "name": "kg", "category": "mass"})
    assert ok.status_code == 201, ok.content
    assert UnitOfMeasure.objects.filter(code="KG").exists()
    bad = client.post(f"{API}tax-codes/", {"code": "VAT", "name": "VAT", "rate": "13"})
    assert "rate" in assert_error_body(bad, 400, "invalid")["errors"]
    assert not TaxCode.objects.exists()
    usd = client.post(f"{API}currencies/", {"code": "usd", "name": "Dollar"})
    assert usd.status_code == 201, usd.content
    assert usd.json()["code"] == "USD"
    rate = client.post(
        f"{API}exchange-rates/", {"currency": usd.json()["id"], "date": "2026-01-01", "rate": "0"}
    )
    assert "rate" in assert_error_body(rate, 400, "invalid")["errors"]
    root = client.post(f"{API}item-categories/", {"code": "RM", "name": "Raw"}).json()
    child = client.post(
        f"{API}item-categories/", {"code": "ST", "name": "Steel", "parent": root["id"]}
    ).json()
    cycle = client.patch(f"{API}item-categories/{root['id']}/", {"parent": child["id"]})
    assert "parent" in assert_error_body(cycle, 400, "invalid")["errors"]


@pytest.mark.django_db
def test_partner_api_shows_the_new_fields_addresses_and_contacts():
    CurrencyFactory(code="CNY")
    partner = PartnerFactory()
    services.partner_address_add(partner=partner, kind="billing", address="HQ", is_default=True)
    services.partner_contact_add(partner=partner, name="Li Wei", role="Buyer")
    client = api_client(staff_user("Admin"))
    body = client.get(f"{API}partners/{partner.pk}/").json()
    assert body["addresses"][0]["address"] == "HQ"
    assert body["contacts"][0]["name"] == "Li Wei"
    response = client.post(
        f"{API}partners/",
        {"code": "C-9", "name": "Nine", "kind": "customer", "credit_limit": "50000.00"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["currency"] == Currency.objects.get(code="CNY").pk
    assert response.json()["payment_terms_days"] == 30
    bad = client.post(
        f"{API}partners/",
        {"code": "C-10", "name": "Ten", "kind": "customer", "credit_limit": "-1"},
        format="json",
    )
    assert "credit_limit" in assert_error_body(bad, 400, "invalid")["errors"]
    assert not Partner.objects.filter(code="C-10").exists()
