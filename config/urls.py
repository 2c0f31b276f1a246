"""Top-level URLs: staff pages, admin, the REST API under /api/v1/, its schema and docs, healthz."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz

# Errors under /api/ answer the JSON error body, elsewhere a page in the product's layout.
handler400 = "config.errors.handler400"
handler403 = "config.errors.handler403"
handler404 = "config.errors.handler404"
handler500 = "config.errors.handler500"

# The admin names the product in the reader's language, not "Django administration".
admin.site.site_header = _("Zhongtai administration")
admin.site.site_title = _("Zhongtai administration")
admin.site.index_title = _("Administration")

api_v1 = [
    path("erp/", include("erp_core.masterdata.api.urls")),
    path("erp/", include("erp_core.ledger.api.urls")),
    path("erp/", include("erp_core.stock.api.urls")),
    path("erp/", include("erp_core.sales.api.urls")),
    path("erp/", include("erp_core.purchasing.api.urls")),
    path("erp/", include("erp_core.production.api.urls")),
    path("erp/", include("erp_core.planning.api.urls")),
    path("erp/", include("erp_core.billing.api.urls")),
    path("erp/", include("erp_core.scheduling.api.urls")),
    *(
        path(f"{m}/", include(f"{m}.api.urls"))
        for m in ("mes", "wms", "crm")
        if m in settings.ZHONGTAI_MODULES
    ),
]

urlpatterns = [
    path("", include("erp_core.urls")),
    path("finance/", include("erp_core.ledger.urls")),
    path("stock/", include("erp_core.stock.urls")),
    path("sales/", include("erp_core.sales.urls")),
    path("purchasing/", include("erp_core.purchasing.urls")),
    path("production/", include("erp_core.production.urls")),
    path("planning/", include("erp_core.planning.urls")),
    path("billing/", include("erp_core.billing.urls")),
    path("planning/schedule/", include("erp_core.scheduling.urls")),
    path("portal/", include("erp_core.portal.urls")),
    path("integration/", include("integration.urls")),
    *(
        path(f"{m}/", include(f"{m}.urls"))
        for m in ("mes", "wms", "crm")
        if m in settings.ZHONGTAI_MODULES
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]
