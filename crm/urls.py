"""Staff pages of crm, under /crm/."""

from django.urls import path

from crm import views

app_name = "crm"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my-day/", views.my_day, name="my-day"),
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/new/", views.account_create, name="account-create"),
    path("accounts/<int:pk>/", views.account_detail, name="account-detail"),
    path("leads/", views.lead_list, name="lead-list"),
    path("leads/new/", views.lead_create, name="lead-create"),
    path("leads/<int:pk>/convert/", views.lead_convert, name="lead-convert"),
    path("pipeline/", views.pipeline_board, name="pipeline"),
    path("opportunities/", views.opportunity_list, name="opportunity-list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity-create"),
    path("opportunities/<int:pk>/move/", views.opportunity_move, name="opportunity-move"),
    path("quotes/", views.quote_list, name="quote-list"),
    path("quotes/new/", views.quote_create, name="quote-create"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote-detail"),
    path("quotes/<int:pk>/print.pdf", views.quote_pdf, name="quote-pdf"),
    path("quotes/<int:pk>/<slug:verb>/", views.quote_step, name="quote-step"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/complete/", views.activity_complete, name="activity-complete"),
    path("tickets/", views.ticket_list, name="ticket-list"),
    path("tickets/new/", views.ticket_create, name="ticket-create"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket-detail"),
    path("tickets/<int:pk>/resolve/", views.ticket_resolve, name="ticket-resolve"),
    path("collections/", views.collections_page, name="collections"),
    path("collections/dunning/", views.dunning_run, name="dunning-run"),
    path("collections/promises/new/", views.promise_create, name="promise-create"),
    path("import/", views.import_page, name="import"),
]
