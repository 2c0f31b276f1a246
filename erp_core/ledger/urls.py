"""Staff pages of the ledgers (finance), under /finance/."""

from django.urls import path
from django.views.generic import RedirectView

from erp_core.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="ledger:entry-list"), name="index"),
    path("entries/", views.entry_list, name="entry-list"),
    path("entries/new/", views.entry_create, name="entry-create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/delete/", views.entry_step, {"step": "delete"}, name="entry-delete"),
    path("entries/<int:pk>/post/", views.entry_step, {"step": "post"}, name="entry-post"),
    path("entries/<int:pk>/reverse/", views.entry_step, {"step": "reverse"}, name="entry-reverse"),
    path("accounts/", views.account_tree, name="account-tree"),
    path("periods/", views.period_list, name="period-list"),
    path("periods/<int:pk>/close/", views.period_close, name="period-close"),
    path("periods/<int:pk>/reopen/", views.period_reopen, name="period-reopen"),
    path("years/<int:pk>/close/", views.year_close, {"step": "close"}, name="year-close"),
    path("years/<int:pk>/reopen/", views.year_close, {"step": "reopen"}, name="year-reopen"),
    path("trial-balance/", views.trial_balance, name="trial-balance"),
    path("trial-balance.xlsx", views.trial_balance_export, name="trial-balance-export"),
    path("general-ledger/", views.general_ledger, name="general-ledger"),
    path("reconcile/", views.reconcile, name="reconcile"),
    path("company/", views.company_settings, name="company-settings"),
]
