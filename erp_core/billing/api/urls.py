"""REST API of invoices and payments under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import SimpleRouter

from erp_core.billing.api.views import (
    AgingViewSet,
    InvoiceViewSet,
    MonthEndStepViewSet,
    PartnerStatementViewSet,
    PaymentViewSet,
    ReceiptsNotBilledViewSet,
)

app_name = "billing-api"

router = SimpleRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
router.register("aging", AgingViewSet, basename="aging")
router.register("partner-statements", PartnerStatementViewSet, basename="partner-statement")
router.register("receipts-not-billed", ReceiptsNotBilledViewSet, basename="receipt-not-billed")
router.register("month-end-steps", MonthEndStepViewSet, basename="month-end-step")

urlpatterns = router.urls
