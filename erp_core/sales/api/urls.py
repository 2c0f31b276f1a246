"""REST API of sales under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import SimpleRouter

from erp_core.sales.api.views import DeliveryViewSet, PriceListViewSet, SalesOrderViewSet

app_name = "sales-api"

router = SimpleRouter()
router.register("price-lists", PriceListViewSet, basename="price-list")
router.register("sales-orders", SalesOrderViewSet, basename="sales-order")
router.register("deliveries", DeliveryViewSet, basename="delivery")

urlpatterns = router.urls
