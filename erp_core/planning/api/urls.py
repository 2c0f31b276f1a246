"""REST API of planning under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

from erp_core.planning.api.views import (
    ExceptionMessageViewSet,
    ForecastViewSet,
    MrpRunViewSet,
    PlannedOrderViewSet,
    ShortageViewSet,
    SupplyPegViewSet,
)

app_name = "planning-api"

router = DefaultRouter()
router.register("mrp-runs", MrpRunViewSet, basename="mrp-run")
router.register("planned-orders", PlannedOrderViewSet, basename="planned-order")
router.register("exception-messages", ExceptionMessageViewSet, basename="exception-message")
router.register("supply-pegs", SupplyPegViewSet, basename="supply-peg")
router.register("shortages", ShortageViewSet, basename="shortage")
router.register("forecasts", ForecastViewSet, basename="forecast")

urlpatterns = router.urls
