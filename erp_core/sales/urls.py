"""Staff pages of sales, under /sales/."""

from django.urls import path
from django.views.generic import RedirectView

from erp_core.sales.views import deliveries, orders, prices

app_name = "sales"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="sales:order-list"), name="index"),
    path("orders/", orders.order_list, name="order-list"),
    path("orders/export.xlsx", orders.order_export, name="order-export"),
    path("orders/new/", orders.order_create, name="order-create"),
    path("orders/<int:pk>/", orders.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order-edit"),
    path("orders/<int:pk>/pdf/", orders.order_pdf, name="order-pdf"),
    path("orders/<int:pk>/approve/", orders.order_step, {"step": "approve"}, name="order-approve"),
    path(
        "orders/<int:pk>/unapprove/",
        orders.order_step,
        {"step": "unapprove"},
        name="order-unapprove",
    ),
    path("orders/<int:pk>/void/", orders.order_step, {"step": "void"}, name="order-void"),
    path("orders/<int:pk>/close/", orders.order_step, {"step": "close"}, name="order-close"),
    path("orders/<int:pk>/cancel/", orders.order_step, {"step": "cancel"}, name="order-cancel"),
    path("orders/<int:order_pk>/deliver/", deliveries.delivery_create, name="delivery-create"),
    path("deliveries/", deliveries.delivery_list, name="delivery-list"),
    path("deliveries/export.xlsx", deliveries.delivery_export, name="delivery-export"),
    path("deliveries/<int:pk>/", deliveries.delivery_detail, name="delivery-detail"),
    path("deliveries/<int:pk>/pdf/", deliveries.delivery_pdf, name="delivery-pdf"),
    path(
        "deliveries/<int:pk>/ship/",
        deliveries.delivery_step,
        {"step": "ship"},
        name="delivery-ship",
    ),
    path(
        "deliveries/<int:pk>/void/",
        deliveries.delivery_step,
        {"step": "void"},
        name="delivery-void",
    ),
    path("price-lists/", prices.price_list_list, name="price-list-list"),
    path("price-lists/new/", prices.price_list_create, name="price-list-create"),
    path("price-lists/<int:pk>/", prices.price_list_detail, name="price-list-detail"),
    path("price-lists/<int:pk>/edit/", prices.price_list_edit, name="price-list-edit"),
]
