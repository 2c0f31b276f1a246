"""REST API of invoices and payments under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import SimpleRouter

from erp_core.billing.api.views import (
    AgingViewSet,
    InvoiceViewSet,
    PartnerStatementViewSet,
    PaymentViewSet,
)

app_name = "billing-api"

router = SimpleRouter()
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
router.register("aging", AgingViewSet, basename="aging")
router.register("partner-statements", PartnerStatementViewSet, basename="partner-statement")

urlpatterns = router.urls
