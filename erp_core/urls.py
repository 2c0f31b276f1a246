"""Staff pages of the ERP core."""

from django.urls import path

from erp_core import views

app_name = "erp_core"

urlpatterns = [
    path("", views.home, name="home"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/new/", views.partner_create, name="partner-create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner-detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("items/", views.item_list, name="item-list"),
    path("items/export.xlsx", views.item_export, name="item-export"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("warehouses/", views.warehouse_list, name="warehouse-list"),
    path("work-centers/", views.work_center_list, name="work-center-list"),
    path("boms/<int:pk>/", views.bom_detail, name="bom-detail"),
]
