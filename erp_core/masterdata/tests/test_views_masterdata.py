"""The staff pages of master data: items (list, search, filters, export, detail, create, edit),
warehouses, work centers and the BOM page with its explosion."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from erp_core.masterdata import services
from erp_core.models import Item
from erp_core.tests.factories import (
    ItemCategoryFactory,
    ItemFactory,
    UnitOfMeasureFactory,
    UserFactory,
    WarehouseFactory,
    WorkCenterFactory,
    erp_user,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def login(client):
    """Sign in a user with the ERP module and the given actions on master data."""

    def _login(*actions: str):
        user = erp_user(*actions)
        client.force_login(user)
        return user

    return _login


def _semi(code: str) -> Item:
    return ItemFactory(code=code, item_type="semi", make_or_buy="make")


@pytest.mark.parametrize(
    "name", ["erp_core:item-list", "erp_core:warehouse-list", "erp_core:work-center-list"]
)
def test_master_data_pages_need_the_erp_module_and_view_permission(client, name):
    viewer = UserFactory()  # may view them (as the API does), without the ERP module
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_item", "view_warehouse", "view_workcenter"])
    )
    client.force_login(viewer)
    assert client.get(reverse(name)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_item_list_searches_by_pinyin_and_filters_by_category_and_type(client, login):
    login("view")
    steel = ItemCategoryFactory(code="ST")
    ItemFactory(code="RM-1", name="钢板料", pinyin_initials="GBL", category=steel)
    ItemFactory(code="FG-1", name="减速机", item_type="finished")
    url = reverse("erp_core:item-list")

    by_pinyin = client.get(url, {"q": "gbl"})
    assert [i.code for i in by_pinyin.context["page_obj"]] == ["RM-1"]
    assert [i.code for i in client.get(url, {"category": steel.pk}).context["page_obj"]] == ["RM-1"]
    assert [i.code for i in client.get(url, {"item_type": "finished"}).context["page_obj"]] == [
        "FG-1"
    ]
    partial = client.get(url, {"q": "gbl"}, HTTP_HX_REQUEST="true")
    assert "RM-1" in partial.text
    assert "<html" not in partial.text


def test_item_list_paginates_with_a_bounded_number_of_queries(
    client, login, django_assert_max_num_queries
):
    login("view")
    ItemFactory.create_batch(30)
    # session, user, 2 × permissions, categories (filter), count, page: none per row
    with django_assert_max_num_queries(8):
        response = client.get(reverse("erp_core:item-list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25


def test_item_export_is_an_xlsx_of_the_filtered_items(client, login):
    login("view")
    ItemFactory(code="RM-1", name="钢板料", pinyin_initials="GBL")
    ItemFactory(code="FG-1", name="减速机")
    response = client.get(reverse("erp_core:item-export"), {"q": "GBL"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("code", "name")
    assert [row[0] for row in rows[1:]] == ["RM-1"]


def test_item_detail_shows_boms_where_used_and_history(client, login):
    login("view")
    steel, frame, fg = ItemFactory(code="STEEL"), _semi("FRAME"), _semi("FG")
    services.bom_create(
        item=frame,
        version="1",
        valid_from=date(2025, 1, 1),
        lines=[{"component": steel, "quantity_per": D(3)}],
    )
    services.bom_create(
        item=fg,
        version="1",
        valid_from=date(2025, 1, 1),
        lines=[{"component": frame, "quantity_per": D(1)}],
    )
    response = client.get(reverse("erp_core:item-detail", args=[steel.pk]))
    assert response.status_code == 200
    assert [(r.level, r.parent.code) for r in response.context["where_used"]] == [
        (1, "FRAME"),
        (2, "FG"),
    ]
    frame_page = client.get(reverse("erp_core:item-detail", args=[frame.pk]))
    assert reverse("erp_core:bom-detail", args=[frame.boms.get().pk]) in frame_page.text
    assert 'data-testid="history"' in frame_page.text


def test_item_detail_reads_in_a_bounded_number_of_queries(
    client, login, django_assert_max_num_queries
):
    login("view")
    part = ItemFactory()
    for n in range(6):
        services.bom_create(
            item=_semi(f"P{n}"),
            version="1",
            valid_from=date(2025, 1, 1),
            lines=[{"component": part, "quantity_per": D(1)}],
        )
    with django_assert_max_num_queries(14):
        response = client.get(reverse("erp_core:item-detail", args=[part.pk]))
    assert len(response.context["where_used"]) == 6


def test_item_create_through_the_service_computes_initials(client, login):
    user = login("view", "add")
    unit = UnitOfMeasureFactory()
    response = client.post(
        reverse("erp_core:item-create"),
        {
            "code": " RM-9 ",
            "name": "轴承",
            "item_type": "raw",
            "make_or_buy": "buy",
            "unit": unit.pk,
            "tracking": "none",
            "costing_method": "moving_average",
            "is_active": "on",
        },
    )
    item = Item.objects.get(code="RM-9")
    assert response.status_code == 302
    assert response["Location"] == reverse("erp_core:item-detail", args=[item.pk])
    assert item.pinyin_initials == "ZC"
    assert item.min_order_qty == 1
    assert item.history.get().history_user == user


def test_item_create_bad_input_shows_errors_and_writes_nothing(client, login):
    login("view", "add")
    response = client.post(
        reverse("erp_core:item-create"),
        {
            "code": "SV-1",
            "name": "Install",
            "item_type": "service",
            "make_or_buy": "buy",
            "unit": UnitOfMeasureFactory().pk,
            "tracking": "lot",
            "costing_method": "standard",
            "min_order_qty": "0",
        },
    )
    assert response.status_code == 200
    assert {"tracking", "min_order_qty"} <= set(response.context["form"].errors)
    assert not Item.objects.exists()


def test_item_edit_changes_only_what_changed(client, login):
    login("view", "change")
    item = services.item_create(
        code="RM-1", name="钢板", item_type="raw", unit=UnitOfMeasureFactory()
    )
    url = reverse("erp_core:item-edit", args=[item.pk])
    assert client.get(url).status_code == 200
    data = {
        "code": "RM-1",
        "name": "钢板",
        "item_type": "raw",
        "make_or_buy": "buy",
        "unit": item.unit_id,
        "tracking": "none",
        "costing_method": "moving_average",
        "pinyin_initials": "GB",
        "is_active": "on",
    }
    unchanged = client.post(url, data, follow=True)
    assert "Nothing was changed." in unchanged.text
    assert item.history.count() == 1
    response = client.post(url, {**data, "name": "钢板料", "pinyin_initials": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.pinyin_initials) == ("钢板料", "GBL")


def test_item_create_and_edit_need_their_permissions(client, login):
    login("view")
    item = ItemFactory()
    assert client.get(reverse("erp_core:item-create")).status_code == 403
    assert client.get(reverse("erp_core:item-edit", args=[item.pk])).status_code == 403


def test_warehouse_and_work_center_lists(client, login):
    login("view")
    WarehouseFactory(code="WH-RM", name="原材料仓")
    WorkCenterFactory(code="WC-WELD", machines=3, shifts_per_day=2, hours_per_shift=D(8))
    warehouses = client.get(reverse("erp_core:warehouse-list"))
    assert "WH-RM" in warehouses.text
    centers = client.get(reverse("erp_core:work-center-list"))
    assert "WC-WELD" in centers.text
    assert ">48.00<" in centers.text.replace(" ", "")  # capacity hours a day
    assert "Mon–Fri" in centers.text


def test_bom_page_shows_the_multi_level_explosion(client, login):
    login("view")
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
    url = reverse("erp_core:bom-detail", args=[bom.pk])
    response = client.get(url, {"quantity": "3", "date": "2026-01-01"})
    assert response.status_code == 200
    explosion = response.context["explosion"]
    assert [(ln.level, ln.component.code, ln.quantity) for ln in explosion.lines] == [
        (1, "FRAME", D(6)),
        (2, "STEEL", D(78)),
    ]
    assert 'data-testid="explosion"' in response.text
    assert client.get(url).context["explosion"].quantity == 1
