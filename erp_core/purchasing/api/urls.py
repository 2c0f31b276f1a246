"""REST API of purchasing under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import SimpleRouter

from erp_core.purchasing.api.views import (
    PurchaseOrderViewSet,
    PurchaseReceiptViewSet,
    PurchaseRequisitionViewSet,
)

app_name = "purchasing-api"

router = SimpleRouter()
router.register(
    "purchase-requisitions", PurchaseRequisitionViewSet, basename="purchase-requisition"
)
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
router.register("purchase-receipts", PurchaseReceiptViewSet, basename="purchase-receipt")

urlpatterns = router.urls
