"""REST API of erp_core under /api/v1/erp/: one router for the app, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

from erp_core.api.views import PartnerViewSet

app_name = "erp_core-api"

router = DefaultRouter()
router.register("partners", PartnerViewSet, basename="partner")

urlpatterns = router.urls
