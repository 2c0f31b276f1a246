"""REST API of erp_core under /api/v1/: one router for the app."""

from rest_framework.routers import DefaultRouter

app_name = "erp_core-api"

router = DefaultRouter()

urlpatterns = router.urls
