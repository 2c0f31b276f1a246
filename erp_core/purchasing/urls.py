"""Staff pages of purchasing, under /purchasing/."""

from django.urls import path
from django.views.generic import RedirectView

from erp_core.purchasing.views import orders, receipts, requisitions

app_name = "purchasing"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="purchasing:order-list"), name="index"),
    path("requisitions/", requisitions.requisition_list, name="requisition-list"),
    path("requisitions.xlsx", requisitions.requisition_export, name="requisition-export"),
    path("requisitions/new/", requisitions.requisition_create, name="requisition-create"),
    path("requisitions/<int:pk>/", requisitions.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:pk>/edit/", requisitions.requisition_edit, name="requisition-edit"),
    path("requisitions/<int:pk>/order/", requisitions.requisition_order, name="requisition-order"),
    path(
        "requisitions/<int:pk>/<slug:verb>/",
        requisitions.requisition_action,
        name="requisition-action",
    ),
    path("orders/", orders.order_list, name="order-list"),
    path("orders.xlsx", orders.order_export, name="order-export"),
    path("orders/new/", orders.order_create, name="order-create"),
    path("orders/<int:pk>/", orders.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order-edit"),
    path("orders/<int:pk>/print/", orders.order_print, name="order-print"),
    path("orders/<int:order_pk>/receive/", receipts.receipt_create, name="receipt-create"),
    path("orders/<int:pk>/<slug:verb>/", orders.order_action, name="order-action"),
    path("receipts/", receipts.receipt_list, name="receipt-list"),
    path("receipts.xlsx", receipts.receipt_export, name="receipt-export"),
    path("receipts/<int:pk>/", receipts.receipt_detail, name="receipt-detail"),
    path("receipts/<int:pk>/print/", receipts.receipt_print, name="receipt-print"),
    path("receipts/<int:pk>/<slug:verb>/", receipts.receipt_action, name="receipt-action"),
]
