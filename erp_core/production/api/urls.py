"""REST API of production orders under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

from erp_core.production.api.views import ProductionOrderViewSet

app_name = "production-api"

router = DefaultRouter()
router.register("production-orders", ProductionOrderViewSet, basename="production-order")

urlpatterns = router.urls
