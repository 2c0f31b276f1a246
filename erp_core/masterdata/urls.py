"""Staff pages of master data; included by ``erp_core.urls`` under its namespace."""

from django.urls import path

from erp_core.masterdata.views import items, masterdata, options, partners, versions

urlpatterns = [
    path("partners/", partners.partner_list, name="partner-list"),
    path("partners/new/", partners.partner_create, name="partner-create"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner-edit"),
    path("partners/options/", options.partner_options, name="partner-options"),
    path("items/", items.item_list, name="item-list"),
    path("items/options/", options.item_options, name="item-options"),
    path("items/export.xlsx", items.item_export, name="item-export"),
    path("items/new/", items.item_create, name="item-create"),
    path("items/<int:pk>/", items.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item-edit"),
    path("units/", masterdata.unit_list, name="unit-list"),
    path("units/new/", masterdata.unit_create, name="unit-create"),
    path("units/<int:pk>/", masterdata.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", masterdata.unit_edit, name="unit-edit"),
    path(
        "units/<int:pk>/conversions/new/",
        masterdata.unit_conversion_create,
        name="unit-conversion-create",
    ),
    path(
        "unit-conversions/<int:pk>/edit/",
        masterdata.unit_conversion_edit,
        name="unit-conversion-edit",
    ),
    path("categories/", masterdata.category_list, name="category-list"),
    path("categories/new/", masterdata.category_create, name="category-create"),
    path("categories/<int:pk>/edit/", masterdata.category_edit, name="category-edit"),
    path("tax-codes/", masterdata.tax_code_list, name="tax-code-list"),
    path("tax-codes/new/", masterdata.tax_code_create, name="tax-code-create"),
    path("tax-codes/<int:pk>/edit/", masterdata.tax_code_edit, name="tax-code-edit"),
    path("currencies/", masterdata.currency_list, name="currency-list"),
    path("currencies/new/", masterdata.currency_create, name="currency-create"),
    path("currencies/<int:pk>/", masterdata.currency_detail, name="currency-detail"),
    path("currencies/<int:pk>/edit/", masterdata.currency_edit, name="currency-edit"),
    path(
        "currencies/<int:pk>/rates/new/",
        masterdata.exchange_rate_create,
        name="exchange-rate-create",
    ),
    path("exchange-rates/<int:pk>/edit/", masterdata.exchange_rate_edit, name="exchange-rate-edit"),
    path("warehouses/", masterdata.warehouse_list, name="warehouse-list"),
    path("warehouses/new/", masterdata.warehouse_create, name="warehouse-create"),
    path("warehouses/<int:pk>/edit/", masterdata.warehouse_edit, name="warehouse-edit"),
    path("work-centers/", masterdata.work_center_list, name="work-center-list"),
    path("work-centers/new/", masterdata.work_center_create, name="work-center-create"),
    path("work-centers/<int:pk>/edit/", masterdata.work_center_edit, name="work-center-edit"),
    path("boms/", versions.bom_list, name="bom-list"),
    path("boms/new/", versions.bom_create, name="bom-create"),
    path("boms/<int:pk>/", versions.bom_detail, name="bom-detail"),
    path("boms/<int:pk>/edit/", versions.bom_edit, name="bom-edit"),
    path("boms/<int:pk>/new-version/", versions.bom_new_version, name="bom-new-version"),
    path("routings/", versions.routing_list, name="routing-list"),
    path("routings/new/", versions.routing_create, name="routing-create"),
    path("routings/<int:pk>/", versions.routing_detail, name="routing-detail"),
    path("routings/<int:pk>/edit/", versions.routing_edit, name="routing-edit"),
    path(
        "routings/<int:pk>/new-version/", versions.routing_new_version, name="routing-new-version"
    ),
]
