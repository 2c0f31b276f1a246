"""REST API of mes under /api/v1/: one router for the app."""

from rest_framework.routers import DefaultRouter

from mes.api.views import (
    DowntimeViewSet,
    MachineCycleTimeViewSet,
    MachineEventViewSet,
    MachineViewSet,
    OEEViewSet,
)

app_name = "mes-api"

router = DefaultRouter()
router.register("machines", MachineViewSet, basename="machine")
router.register("cycle-times", MachineCycleTimeViewSet, basename="cycle-time")
router.register("machine-events", MachineEventViewSet, basename="machine-event")
router.register("downtime", DowntimeViewSet, basename="downtime")
router.register("oee", OEEViewSet, basename="oee")

urlpatterns = router.urls
