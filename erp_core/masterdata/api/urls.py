"""REST API of erp_core under /api/v1/erp/: one router for the app, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

from erp_core.masterdata.api.views import (
    BillOfMaterialsViewSet,
    CurrencyViewSet,
    ExchangeRateViewSet,
    ItemCategoryViewSet,
    ItemViewSet,
    PartnerViewSet,
    RoutingViewSet,
    TaxCodeViewSet,
    UnitConversionViewSet,
    UnitOfMeasureViewSet,
    WarehouseViewSet,
    WorkCenterViewSet,
)

app_name = "erp_core-api"

router = DefaultRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("units", UnitOfMeasureViewSet, basename="unit")
router.register("unit-conversions", UnitConversionViewSet, basename="unit-conversion")
router.register("item-categories", ItemCategoryViewSet, basename="item-category")
router.register("items", ItemViewSet, basename="item")
router.register("tax-codes", TaxCodeViewSet, basename="tax-code")
router.register("currencies", CurrencyViewSet, basename="currency")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
router.register("warehouses", WarehouseViewSet, basename="warehouse")
router.register("work-centers", WorkCenterViewSet, basename="work-center")
router.register("boms", BillOfMaterialsViewSet, basename="bom")
router.register("routings", RoutingViewSet, basename="routing")

urlpatterns = router.urls
