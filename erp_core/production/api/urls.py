"""REST API of production orders under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

app_name = "production-api"

router = DefaultRouter()

urlpatterns = router.urls
