"""The admin of master data: every page renders, Excel import/export is offered and works,
and BOM lines edited in the admin get the cycle check."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from erp_core.demo import demo_load
from erp_core.masterdata import services
from erp_core.models import BillOfMaterials, BomLine, Item
from erp_core.tests.factories import ItemFactory, UnitOfMeasureFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = (
    "unitofmeasure",
    "unitconversion",
    "itemcategory",
    "taxcode",
    "currency",
    "exchangerate",
    "item",
    "partner",
    "partneraddress",
    "partnercontact",
    "warehouse",
    "workcenter",
    "billofmaterials",
    "routing",
)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_pages_render_with_demo_data(admin_client):
    demo_load()
    for model in MODELS:
        changelist = admin_client.get(reverse(f"admin:erp_core_{model}_changelist"), {"q": "a"})
        assert changelist.status_code == 200, model
        assert admin_client.get(reverse(f"admin:erp_core_{model}_add")).status_code == 200
        obj = changelist.context["cl"].model.objects.first()
        change = admin_client.get(reverse(f"admin:erp_core_{model}_change", args=[obj.pk]))
        assert change.status_code == 200, model
        history = admin_client.get(reverse(f"admin:erp_core_{model}_history", args=[obj.pk]))
        assert history.status_code == 200, model


@pytest.mark.parametrize(
    "model", ["item", "partner", "unitofmeasure", "itemcategory", "warehouse", "workcenter"]
)
def test_import_export_is_offered(admin_client, model):
    assert admin_client.get(reverse(f"admin:erp_core_{model}_import")).status_code == 200
    assert admin_client.get(reverse(f"admin:erp_core_{model}_export")).status_code == 200


def test_item_import_from_xlsx_fills_pinyin_and_resolves_codes(admin_client):
    UnitOfMeasureFactory(code="KG", category="mass")
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "item_type", "unit", "min_order_qty", "order_multiple"])
    sheet.append(["RM-77", "钢板料", "raw", "KG", 1, 1])
    path = SimpleUploadedFile("items.xlsx", _bytes(book))
    response = admin_client.post(
        reverse("admin:erp_core_item_import"),
        {"import_file": path, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert "confirm_form" in response.context, response.context.get("errors")
    confirm = response.context["confirm_form"].initial
    admin_client.post(reverse("admin:erp_core_item_process_import"), confirm)
    item = Item.objects.get(code="RM-77")
    assert (item.unit.code, item.pinyin_initials) == ("KG", "GBL")


def _bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_admin_bom_lines_get_the_cycle_check(admin_client):
    a = ItemFactory(code="A", item_type="semi", make_or_buy="make")
    b = ItemFactory(code="B", item_type="semi", make_or_buy="make")
    services.bom_create(
        item=a,
        version="1",
        valid_from=date(2025, 1, 1),
        lines=[{"component": b, "quantity_per": Decimal(1)}],
    )
    response = admin_client.post(
        reverse("admin:erp_core_billofmaterials_add"),
        {
            "item": b.pk,
            "version": "1",
            "valid_from": "2025-01-01",
            "is_active": "on",
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-sequence": "10",
            "lines-0-component": a.pk,
            "lines-0-quantity_per": "1",
            "lines-0-scrap_percent": "0",
        },
    )
    assert response.status_code == 200
    assert "B → A → B" in response.text
    assert BillOfMaterials.objects.count() == 1
    assert BomLine.objects.count() == 1
