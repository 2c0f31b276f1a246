"""Staff pages of the ERP core: the home page and master data (documents have their own apps)."""

from django.urls import include, path

from erp_core import views

app_name = "erp_core"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("erp_core.masterdata.urls")),
]
