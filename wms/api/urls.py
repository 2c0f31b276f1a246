"""REST API of wms under /api/v1/wms/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

from wms.api.views import (
    BinViewSet,
    CountViewSet,
    ExpectedReceiptViewSet,
    LotViewSet,
    MoveTaskViewSet,
    QuantViewSet,
    SerialNumberViewSet,
    TransferViewSet,
    ZoneViewSet,
)

app_name = "wms-api"

router = DefaultRouter()
router.register("zones", ZoneViewSet, basename="zone")
router.register("bins", BinViewSet, basename="bin")
router.register("lots", LotViewSet, basename="lot")
router.register("serial-numbers", SerialNumberViewSet, basename="serial-number")
router.register("quants", QuantViewSet, basename="quant")
router.register("expected-receipts", ExpectedReceiptViewSet, basename="expected-receipt")
router.register("move-tasks", MoveTaskViewSet, basename="move-task")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("counts", CountViewSet, basename="count")

urlpatterns = router.urls
