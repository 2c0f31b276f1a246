"""REST API of sales under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

app_name = "sales-api"

router = DefaultRouter()

urlpatterns = router.urls
