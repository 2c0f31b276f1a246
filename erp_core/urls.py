"""Staff pages of the ERP core."""

from django.urls import path

from erp_core import views

app_name = "erp_core"

urlpatterns = [
    path("", views.home, name="home"),
]
