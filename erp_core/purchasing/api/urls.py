"""REST API of purchasing under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

app_name = "purchasing-api"

router = DefaultRouter()

urlpatterns = router.urls
