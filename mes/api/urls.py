"""REST API of mes under /api/v1/: one router for the app."""

from rest_framework.routers import DefaultRouter

from mes.api.views import (
    DowntimeViewSet,
    MachineCycleTimeViewSet,
    MachineEventViewSet,
    MachineViewSet,
    OEEViewSet,
)
from mes.api.work_views import ProductionLotViewSet, WorkOperationViewSet, WorkOrderViewSet

app_name = "mes-api"

router = DefaultRouter()
router.register("machines", MachineViewSet, basename="machine")
router.register("cycle-times", MachineCycleTimeViewSet, basename="cycle-time")
router.register("machine-events", MachineEventViewSet, basename="machine-event")
router.register("downtime", DowntimeViewSet, basename="downtime")
router.register("oee", OEEViewSet, basename="oee")
router.register("work-orders", WorkOrderViewSet, basename="work-order")
router.register("operations", WorkOperationViewSet, basename="operation")
router.register("lots", ProductionLotViewSet, basename="lot")

urlpatterns = router.urls
