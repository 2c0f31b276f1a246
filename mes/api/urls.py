"""REST API of mes under /api/v1/: one router for the app."""

from rest_framework.routers import DefaultRouter

app_name = "mes-api"

router = DefaultRouter()

urlpatterns = router.urls
