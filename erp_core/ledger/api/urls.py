"""REST API of the ledgers, under /api/v1/erp/ beside the ERP core's own resources."""

from rest_framework.routers import SimpleRouter

from erp_core.ledger.api.views import (
    AccountViewSet,
    FiscalPeriodViewSet,
    JournalEntryViewSet,
    JournalViewSet,
    ReportViewSet,
)

app_name = "ledger-api"

router = SimpleRouter()
router.register("accounts", AccountViewSet, basename="account")
router.register("journals", JournalViewSet, basename="journal")
router.register("journal-entries", JournalEntryViewSet, basename="journal-entry")
router.register("fiscal-periods", FiscalPeriodViewSet, basename="fiscal-period")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = router.urls
