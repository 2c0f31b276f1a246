"""Staff pages of invoices and payments, under /billing/."""

from django.urls import path
from django.views.generic import RedirectView

from erp_core.billing import views

app_name = "billing"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="billing:invoice-list"), name="index"),
    path("invoices/", views.invoice_list, name="invoice-list"),
    path("invoices.xlsx", views.invoice_export, name="invoice-export"),
    path("invoices/new/", views.invoice_create, name="invoice-create"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice-detail"),
    path("invoices/<int:pk>/edit/", views.invoice_edit, name="invoice-edit"),
    path(
        "invoices/<int:pk>/approve/",
        views.invoice_step,
        {"step": "approve"},
        name="invoice-approve",
    ),
    path(
        "invoices/<int:pk>/unapprove/",
        views.invoice_step,
        {"step": "unapprove"},
        name="invoice-unapprove",
    ),
    path("invoices/<int:pk>/void/", views.invoice_step, {"step": "void"}, name="invoice-void"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice-pdf"),
    path("invoices/<int:pk>/credit-note/", views.credit_note_create, name="credit-note-create"),
    path("bills/", views.bill_list, name="bill-list"),
    path("bills.xlsx", views.bill_export, name="bill-export"),
    path("bills/new/", views.bill_create, name="bill-create"),
    path("bills/<int:pk>/", views.invoice_detail, name="bill-detail"),
    path("payments/", views.payment_list, name="payment-list"),
    path("payments.xlsx", views.payment_export, name="payment-export"),
    path("payments/new/", views.payment_create, name="payment-create"),
    path("payments/<int:pk>/", views.payment_detail, name="payment-detail"),
    path("payments/<int:pk>/edit/", views.payment_edit, name="payment-edit"),
    path("payments/<int:pk>/pdf/", views.payment_pdf, name="payment-pdf"),
    path(
        "payments/<int:pk>/approve/",
        views.payment_step,
        {"step": "approve"},
        name="payment-approve",
    ),
    path(
        "payments/<int:pk>/unapprove/",
        views.payment_step,
        {"step": "unapprove"},
        name="payment-unapprove",
    ),
    path("payments/<int:pk>/void/", views.payment_step, {"step": "void"}, name="payment-void"),
    path("payments/<int:pk>/allocate/", views.payment_allocate, name="payment-allocate"),
    path(
        "payments/<int:pk>/allocations/<int:allocation_pk>/remove/",
        views.payment_unallocate,
        name="payment-unallocate",
    ),
    path("ar-aging/", views.ar_aging, name="ar-aging"),
    path("ar-aging.xlsx", views.ar_aging_export, name="ar-aging-export"),
    path("ap-aging/", views.ap_aging, name="ap-aging"),
    path("ap-aging.xlsx", views.ap_aging_export, name="ap-aging-export"),
    path("statement/", views.statement, name="statement"),
    path("month-end/", views.month_end, name="month-end"),
    path(
        "month-end/grir-accrual/",
        views.month_end_step,
        {"step": "grir-accrual"},
        name="month-end-grir-accrual",
    ),
    path(
        "month-end/count-clear/",
        views.month_end_step,
        {"step": "count-clear"},
        name="month-end-count-clear",
    ),
    path("statement.pdf", views.statement_pdf, name="statement-pdf"),
    path("statement.xlsx", views.statement_export, name="statement-export"),
]
