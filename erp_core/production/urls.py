"""Staff pages of production orders, under /production/."""

from django.urls import path
from django.views.generic import RedirectView

from erp_core.production import views

app_name = "production"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="production:order-list"), name="index"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/export.xlsx", views.order_export, name="order-export"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:pk>/print.pdf", views.order_print, name="order-print"),
    path("orders/<int:pk>/<slug:verb>/", views.order_action, name="order-action"),
]
