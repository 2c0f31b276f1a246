"""The partner portal, under /portal/."""

from django.urls import path

from erp_core.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("orders/<int:pk>/", views.sales_order_detail, name="sales-order-detail"),
    path("purchase-orders/<int:pk>/", views.purchase_order_detail, name="purchase-order-detail"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("statement/", views.statement, name="statement"),
    path("statement.pdf", views.statement_pdf, name="statement-pdf"),
    path("statement.xlsx", views.statement_export, name="statement-export"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<str:key>/revoke/", views.token_revoke, name="token-revoke"),
]
