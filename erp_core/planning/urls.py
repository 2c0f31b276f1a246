"""Staff pages of planning under /planning/."""

from django.urls import path

from erp_core.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("runs/", views.run_list, name="run-list"),
    path("runs/start/", views.run_start, name="run-start"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run-progress"),
    path("planned-orders/", views.planned_order_list, name="planned-order-list"),
    path("planned-orders/bulk/", views.planned_order_bulk, name="planned-order-bulk"),
    path("planned-orders/<int:pk>/", views.planned_order_detail, name="planned-order-detail"),
    path("exceptions/", views.exception_list, name="exception-list"),
    path("shortages/", views.shortage_list, name="shortage-list"),
    path("forecasts/", views.forecast_list, name="forecast-list"),
    path("forecasts/<int:pk>/delete/", views.forecast_delete, name="forecast-delete"),
]
