"""What the sales pages share: who opens them, paging."""

from erp_core.documents.views import ERP

# Orders and deliveries are also the warehouse's business, whose staff work in WMS.
ORDER_MODULES = (ERP, "wms.access_wms")
PER_PAGE = 25
