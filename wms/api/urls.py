"""REST API of wms under /api/v1/: one router for the app."""

from rest_framework.routers import DefaultRouter

app_name = "wms-api"

router = DefaultRouter()

urlpatterns = router.urls
