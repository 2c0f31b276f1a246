"""REST API of the ledgers, under /api/v1/erp/ beside the ERP core's own resources."""

from rest_framework.routers import SimpleRouter

app_name = "ledger-api"

router = SimpleRouter()

urlpatterns = router.urls
