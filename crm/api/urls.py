"""REST API of crm under /api/v1/: one router for the app."""

from rest_framework.routers import DefaultRouter

app_name = "crm-api"

router = DefaultRouter()

urlpatterns = router.urls
