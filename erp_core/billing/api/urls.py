"""REST API of invoices and payments under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

app_name = "billing-api"

router = DefaultRouter()

urlpatterns = router.urls
