"""REST API of the stock ledger, under /api/v1/erp/ beside the ERP core's resources."""

from rest_framework.routers import SimpleRouter

from erp_core.stock.api.views import StockBalanceViewSet, StockMoveViewSet

app_name = "stock-api"

router = SimpleRouter()
router.register("stock-moves", StockMoveViewSet, basename="stock-move")
router.register("stock-balances", StockBalanceViewSet, basename="stock-balance")

urlpatterns = router.urls
