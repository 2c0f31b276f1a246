"""REST API of wms under /api/v1/: one router for the app."""

from rest_framework.routers import DefaultRouter

from wms.api.outbound_views import (
    OutboundOrderViewSet,
    PackageViewSet,
    PickListViewSet,
    ShipmentViewSet,
)

app_name = "wms-api"

router = DefaultRouter()
router.register("outbound-orders", OutboundOrderViewSet, basename="outbound-order")
router.register("pick-lists", PickListViewSet, basename="pick-list")
router.register("packages", PackageViewSet, basename="package")
router.register("shipments", ShipmentViewSet, basename="shipment")

urlpatterns = router.urls
