"""The create and edit pages of master data: units and conversions, item categories, tax codes,
currencies and exchange rates, warehouses and work centers (roles, saving through the services,
refusals shown with nothing written, query budgets of the lists)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from common.testing import staff_user
from erp_core.masterdata import services
from erp_core.models import (
    Currency,
    ExchangeRate,
    ItemCategory,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)
from erp_core.tests.factories import (
    CurrencyFactory,
    ItemCategoryFactory,
    ItemFactory,
    TaxCodeFactory,
    UnitOfMeasureFactory,
    WarehouseFactory,
    WorkCenterFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def data(db) -> dict:
    """One object of each kind, for the pages that show or edit one."""
    kg = UnitOfMeasureFactory(code="KG", category="mass")
    gram = UnitOfMeasureFactory(code="G", category="mass")
    usd = CurrencyFactory(code="USD", name="US dollar")
    return {
        "unit": kg,
        "conversion": services.unit_conversion_create(from_unit=kg, to_unit=gram, factor=D(1000)),
        "category": ItemCategoryFactory(code="RM"),
        "tax_code": TaxCodeFactory(),
        "currency": usd,
        "rate": services.exchange_rate_create(currency=usd, date=date(2026, 1, 1), rate=D("7.1")),
        "warehouse": WarehouseFactory(code="WH-RM"),
        "work_center": WorkCenterFactory(code="WC-CUT"),
    }


# (url name, the object the url takes, a role that may open it, a role that may not; "" for a
# page every role reads, refused to a user with none)
PAGES = [
    ("erp_core:unit-list", None, "Planner", ""),
    ("erp_core:unit-detail", "unit", "Sales", ""),
    ("erp_core:unit-create", None, "Planner", "Sales"),
    ("erp_core:unit-edit", "unit", "Planner", "Finance"),
    ("erp_core:unit-conversion-create", "unit", "Planner", "Sales"),
    ("erp_core:unit-conversion-edit", "conversion", "Planner", "Finance"),
    ("erp_core:category-list", None, "Sales", "Warehouse"),
    ("erp_core:category-create", None, "Planner", "Sales"),
    ("erp_core:category-edit", "category", "Planner", "Finance"),
    ("erp_core:tax-code-list", None, "Finance", "Shop floor"),
    ("erp_core:tax-code-create", None, "Finance", "Planner"),
    ("erp_core:tax-code-edit", "tax_code", "Finance", "Sales"),
    ("erp_core:currency-list", None, "Finance", "Warehouse"),
    ("erp_core:currency-detail", "currency", "Sales", "Warehouse"),
    ("erp_core:currency-create", None, "Finance", "Sales"),
    ("erp_core:currency-edit", "currency", "Finance", "Planner"),
    ("erp_core:exchange-rate-create", "currency", "Finance", "Sales"),
    ("erp_core:exchange-rate-edit", "rate", "Finance", "Planner"),
    ("erp_core:warehouse-create", None, "Admin", "Planner"),
    ("erp_core:warehouse-edit", "warehouse", "Admin", "Sales"),
    ("erp_core:work-center-create", None, "Planner", "Finance"),
    ("erp_core:work-center-edit", "work_center", "Planner", "Sales"),
]


def _url(name: str, key: str | None, data: dict) -> str:
    return reverse(name, args=[data[key].pk] if key else [])


@pytest.mark.parametrize(("name", "key", "allowed", "refused"), PAGES)
def test_page_renders_for_its_role(client, data, name, key, allowed, refused):
    client.force_login(staff_user(allowed))
    response = client.get(_url(name, key, data))
    assert response.status_code == 200, name
    assert "<html" in response.text


@pytest.mark.parametrize(("name", "key", "allowed", "refused"), PAGES)
def test_page_is_refused_to_another_role(client, data, name, key, allowed, refused):
    client.force_login(staff_user(*filter(None, [refused])))
    assert client.get(_url(name, key, data)).status_code == 403, name
    if name.endswith(("-create", "-edit")):
        assert client.post(_url(name, key, data), {"code": "X"}).status_code == 403


@pytest.mark.parametrize(("name", "key", "allowed", "refused"), PAGES)
def test_anonymous_visitor_is_sent_to_login(client, data, name, key, allowed, refused):
    response = client.get(_url(name, key, data))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def planner(client):
    user = staff_user("Planner")
    client.force_login(user)
    return user


@pytest.fixture
def finance(client):
    user = staff_user("Finance")
    client.force_login(user)
    return user


# --- Units and conversions ---------------------------------------------------------------------


def test_unit_create_saves_through_the_service_and_shows_the_unit(client, planner):
    response = client.post(
        reverse("erp_core:unit-create"), {"code": " BOX ", "name": "Box", "category": "count"}
    )
    unit = UnitOfMeasure.objects.get(code="BOX")  # stripped by the service
    assert response.status_code == 302
    assert unit.decimals == 0  # left empty: a counting unit's, whole pieces
    assert response["Location"] == reverse("erp_core:unit-detail", args=[unit.pk])
    assert unit.history.get().history_user == planner
    assert "was created" in client.get(response["Location"]).text


def test_unit_create_duplicate_code_shows_the_error_and_writes_nothing(client, planner):
    UnitOfMeasureFactory(code="PCS")
    response = client.post(
        reverse("erp_core:unit-create"), {"code": "PCS", "name": "Again", "category": "count"}
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert 'data-testid="form-errors"' in response.text
    assert UnitOfMeasure.objects.count() == 1


def test_unit_edit_changes_only_what_changed(client, planner, data):
    unit = data["unit"]
    url = reverse("erp_core:unit-edit", args=[unit.pk])
    unchanged = client.post(url, {"code": "KG", "name": unit.name, "category": "mass"}, follow=True)
    assert "Nothing was changed." in unchanged.text
    assert unit.history.count() == 1
    response = client.post(url, {"code": "KG", "name": "Kilogram", "category": "mass"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Kilogram"


def test_unit_page_lists_its_conversions(client, planner, data):
    response = client.get(reverse("erp_core:unit-detail", args=[data["unit"].pk]))
    assert list(response.context["conversions"]) == [data["conversion"]]
    assert "1 KG = 1,000 G" in response.text
    assert 'data-testid="new-conversion"' in response.text


def test_conversion_create_for_an_item_saves_through_the_service(client, planner, data):
    piece = UnitOfMeasureFactory(code="PCS")
    item = ItemFactory(unit=piece)
    response = client.post(
        reverse("erp_core:unit-conversion-create", args=[piece.pk]),
        {"from_unit": piece.pk, "to_unit": data["unit"].pk, "factor": "0.25", "item": item.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("erp_core:unit-detail", args=[piece.pk])
    conversion = UnitConversion.objects.get(item=item)
    assert (conversion.to_unit, conversion.factor) == (data["unit"], D("0.25"))


def test_general_conversion_across_categories_is_refused_and_nothing_written(client, planner, data):
    piece = UnitOfMeasureFactory(code="PCS")
    response = client.post(
        reverse("erp_core:unit-conversion-create", args=[piece.pk]),
        {"from_unit": piece.pk, "to_unit": data["unit"].pk, "factor": "2"},
    )
    assert response.status_code == 200
    assert "Units of different categories convert only for a given item." in response.text
    assert UnitConversion.objects.count() == 1


def test_conversion_edit_changes_the_factor(client, planner, data):
    conversion = data["conversion"]
    response = client.post(
        reverse("erp_core:unit-conversion-edit", args=[conversion.pk]),
        {"from_unit": conversion.from_unit_id, "to_unit": conversion.to_unit_id, "factor": "999"},
    )
    assert response.status_code == 302
    conversion.refresh_from_db()
    assert conversion.factor == D(999)


# --- Item categories ---------------------------------------------------------------------------


def test_category_tree_is_depth_first_with_indentation(client, planner):
    raw = ItemCategoryFactory(code="RM", name="Raw")
    steel = ItemCategoryFactory(code="RM-ST", name="Steel", parent=raw)
    ItemCategoryFactory(code="RM-ST-SH", name="Sheet", parent=steel)
    ItemCategoryFactory(code="FG", name="Finished")
    response = client.get(reverse("erp_core:category-list"))
    assert [(n.category.code, n.depth) for n in response.context["nodes"]] == [
        ("FG", 0),
        ("RM", 0),
        ("RM-ST", 1),
        ("RM-ST-SH", 2),
    ]


def test_category_create_under_a_parent(client, planner):
    raw = ItemCategoryFactory(code="RM")
    page = client.get(reverse("erp_core:category-create"), {"parent": raw.pk})
    assert page.context["form"].initial["parent"] == str(raw.pk)
    response = client.post(
        reverse("erp_core:category-create"), {"code": "RM-CU", "name": "Copper", "parent": raw.pk}
    )
    assert response.status_code == 302
    assert ItemCategory.objects.get(code="RM-CU").parent == raw


def test_category_moved_under_its_descendant_is_refused(client, planner):
    raw = ItemCategoryFactory(code="RM")
    steel = ItemCategoryFactory(code="RM-ST", parent=raw)
    response = client.post(
        reverse("erp_core:category-edit", args=[raw.pk]),
        {"code": "RM", "name": raw.name, "parent": steel.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    raw.refresh_from_db()
    assert raw.parent is None


# --- Tax codes ---------------------------------------------------------------------------------


def test_tax_code_create_and_edit(client, finance):
    response = client.post(
        reverse("erp_core:tax-code-create"),
        {"code": "VAT9", "name": "增值税 9%", "rate": "0.09", "is_active": "on"},
    )
    assert response.status_code == 302
    tax_code = TaxCode.objects.get(code="VAT9")
    assert tax_code.rate == D("0.09")
    response = client.post(
        reverse("erp_core:tax-code-edit", args=[tax_code.pk]),
        {"code": "VAT9", "name": "增值税 9%", "rate": "0.09"},
    )
    tax_code.refresh_from_db()
    assert response.status_code == 302 and tax_code.is_active is False


def test_tax_rate_given_as_a_percentage_is_refused(client, finance):
    response = client.post(
        reverse("erp_core:tax-code-create"), {"code": "VAT13", "name": "VAT", "rate": "13"}
    )
    assert response.status_code == 200
    assert "rate" in response.context["form"].errors
    assert not TaxCode.objects.exists()


# --- Currencies and rates ----------------------------------------------------------------------


def test_currency_create_upper_cases_the_code(client, finance):
    response = client.post(
        reverse("erp_core:currency-create"), {"code": "eur", "name": "Euro", "decimals": "2"}
    )
    currency = Currency.objects.get(code="EUR")
    assert response["Location"] == reverse("erp_core:currency-detail", args=[currency.pk])


def test_currency_page_lists_its_rates_newest_first(client, finance, data):
    usd = data["currency"]
    services.exchange_rate_create(currency=usd, date=date(2026, 2, 1), rate=D("7.2"))
    response = client.get(reverse("erp_core:currency-detail", args=[usd.pk]))
    assert [rate.rate for rate in response.context["page_obj"]] == [D("7.2"), D("7.1")]
    assert 'data-testid="new-rate"' in response.text


def test_exchange_rate_create_for_the_page_currency(client, finance, data):
    usd = data["currency"]
    response = client.post(
        reverse("erp_core:exchange-rate-create", args=[usd.pk]),
        {"date": "2026-03-01", "rate": "7.25"},
    )
    assert response.status_code == 302
    assert ExchangeRate.objects.get(currency=usd, date=date(2026, 3, 1)).rate == D("7.25")


def test_second_rate_on_the_same_day_is_refused(client, finance, data):
    usd = data["currency"]
    response = client.post(
        reverse("erp_core:exchange-rate-create", args=[usd.pk]),
        {"date": "2026-01-01", "rate": "7.3"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ExchangeRate.objects.get().rate == D("7.1")


def test_the_service_refusal_for_the_base_currency_is_shown_on_the_form(client, finance):
    cny = CurrencyFactory(code="CNY")
    page = client.get(reverse("erp_core:currency-detail", args=[cny.pk]))
    assert 'data-testid="new-rate"' not in page.text
    response = client.post(
        reverse("erp_core:exchange-rate-create", args=[cny.pk]),
        {"date": "2026-01-01", "rate": "1"},
    )
    assert response.status_code == 200
    assert "The base currency has no exchange rate." in response.text
    assert not ExchangeRate.objects.exists()


def test_exchange_rate_edit_corrects_the_rate(client, finance, data):
    rate = data["rate"]
    response = client.post(
        reverse("erp_core:exchange-rate-edit", args=[rate.pk]),
        {"date": "2026-01-01", "rate": "7.15"},
    )
    assert response["Location"] == reverse("erp_core:currency-detail", args=[rate.currency_id])
    rate.refresh_from_db()
    assert rate.rate == D("7.15")


# --- Warehouses and work centers ---------------------------------------------------------------


def test_warehouse_create_and_edit(client):
    client.force_login(staff_user("Admin"))
    response = client.post(
        reverse("erp_core:warehouse-create"),
        {"code": "WH-FG", "name": "成品仓", "address": "", "is_active": "on"},
    )
    assert response["Location"] == reverse("erp_core:warehouse-list")
    warehouse = Warehouse.objects.get(code="WH-FG")
    client.post(
        reverse("erp_core:warehouse-edit", args=[warehouse.pk]),
        {"code": "WH-FG", "name": "成品仓", "is_active": "on", "allow_negative_stock": "on"},
    )
    warehouse.refresh_from_db()
    assert warehouse.allow_negative_stock is True
    listing = client.get(reverse("erp_core:warehouse-list"))
    assert reverse("erp_core:warehouse-edit", args=[warehouse.pk]) in listing.text


def test_work_center_create_with_too_many_hours_is_refused(client, planner):
    data = {
        "code": "WC-WELD",
        "name": "Welding",
        "machines": "2",
        "hours_per_shift": "10",
        "shifts_per_day": "3",
        "working_days": "1111100",
        "is_active": "on",
    }
    response = client.post(reverse("erp_core:work-center-create"), data)
    assert response.status_code == 200
    assert "shifts_per_day" in response.context["form"].errors
    assert not WorkCenter.objects.exists()
    response = client.post(reverse("erp_core:work-center-create"), {**data, "shifts_per_day": "2"})
    assert response.status_code == 302
    center = WorkCenter.objects.get(code="WC-WELD")
    assert center.capacity_hours_per_day == 40
    assert center.machine_rate_per_hour == 0  # left empty: the default


def test_work_center_edit_changes_the_calendar(client, planner, data):
    center = data["work_center"]
    response = client.post(
        reverse("erp_core:work-center-edit", args=[center.pk]),
        {
            "code": center.code,
            "name": center.name,
            "machines": "2",
            "hours_per_shift": "8",
            "shifts_per_day": "1",
            "working_days": "1111110",
            "machine_rate_per_hour": "80.00",
            "labour_rate_per_hour": "50.00",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    center.refresh_from_db()
    assert center.working_days == "1111110"


# --- Query budgets of the lists ----------------------------------------------------------------

# session, user, 2 × permissions, count, page: none per row
LIST_BUDGET = 7


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("erp_core:unit-list", lambda n: UnitOfMeasureFactory(code=f"U{n}")),
        ("erp_core:tax-code-list", lambda n: TaxCodeFactory(code=f"T{n}", rate=D("0.01"))),
        ("erp_core:currency-list", lambda n: CurrencyFactory(code=f"X{chr(65 + n % 26)}{n // 26}")),
        ("erp_core:warehouse-list", lambda n: WarehouseFactory()),
        ("erp_core:work-center-list", lambda n: WorkCenterFactory()),
    ],
)
def test_lists_read_a_page_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, name, make
):
    client.force_login(staff_user("Admin"))
    for n in range(30):
        make(n)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 25


def test_category_tree_reads_in_one_query_whatever_its_size(
    client, planner, django_assert_max_num_queries
):
    parent = None
    for n in range(30):
        parent = ItemCategoryFactory(code=f"C{n:02d}", parent=parent if n % 3 else None)
    with django_assert_max_num_queries(LIST_BUDGET - 1):
        response = client.get(reverse("erp_core:category-list"))
    assert len(response.context["nodes"]) == 30


def test_currency_rates_read_in_a_bounded_number_of_queries(
    client, finance, data, django_assert_max_num_queries
):
    usd = data["currency"]
    for day in range(2, 29):
        services.exchange_rate_create(currency=usd, date=date(2026, 1, day), rate=D("7.1"))
    with django_assert_max_num_queries(LIST_BUDGET + 1):
        response = client.get(reverse("erp_core:currency-detail", args=[usd.pk]))
    assert len(response.context["page_obj"]) == 28
