"""Staff pages of wms, under /wms/."""

from django.urls import path

from wms.views import labels, outbound, pages, scan, steps

app_name = "wms"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("bin-fill/<int:warehouse_id>.json", pages.bin_fill_data, name="bin-fill"),
    path("stock/", pages.stock_list, name="stock-list"),
    path("stock/<int:item_id>/", pages.stock_item, name="stock-item"),
    path("zones/", pages.zone_list, name="zone-list"),
    path("zones/new/", pages.zone_create, name="zone-create"),
    path("zones/<int:pk>/edit/", pages.zone_edit, name="zone-edit"),
    path("zones/<int:pk>/labels.pdf", labels.zone_labels, name="zone-labels"),
    path("bins/", pages.bin_list, name="bin-list"),
    path("bins/new/", pages.bin_create, name="bin-create"),
    path("bins/<int:pk>/", pages.bin_detail, name="bin-detail"),
    path("bins/<int:pk>/edit/", pages.bin_edit, name="bin-edit"),
    path("bins/<int:pk>/label.pdf", labels.bin_label, name="bin-label"),
    path("items/<int:pk>/label.pdf", labels.item_label, name="item-label"),
    path("lots/", pages.lot_list, name="lot-list"),
    path("lots/<int:pk>/", pages.lot_detail, name="lot-detail"),
    path("lots/<int:pk>/label.pdf", labels.lot_label, name="lot-label"),
    path("receipts/", pages.receipt_list, name="receipt-list"),
    path("receipts/<int:pk>/", pages.receipt_detail, name="receipt-detail"),
    path("receipts/<int:pk>/complete/", steps.receipt_complete, name="receipt-complete"),
    path("counts/", pages.count_list, name="count-list"),
    path("counts/<int:pk>/", pages.count_detail, name="count-detail"),
    path("counts/<int:pk>/submit/", steps.count_submit, name="count-submit"),
    path("counts/<int:pk>/approve/", steps.count_approve, name="count-approve"),
    path("outbound/", outbound.outbound_list, name="outbound-list"),
    path("outbound/<int:pk>/", outbound.outbound_detail, name="outbound-detail"),
    path("outbound/<int:pk>/pack/", steps.order_pack, name="outbound-pack"),
    path("pick-lists/<int:pk>/pick-list.pdf", outbound.pick_list_pdf, name="pick-list-pdf"),
    path("packages/<int:pk>/label.pdf", outbound.package_label, name="package-label"),
    path("tasks/", pages.task_list, name="task-list"),
    path("scan/", scan.scan_menu, name="scan-menu"),
    path("scan/receive/", scan.scan_receive, name="scan-receive"),
    path("scan/putaway/", scan.scan_putaway, name="scan-putaway"),
    path("scan/move/", scan.scan_move, name="scan-move"),
    path("scan/count/", scan.scan_count_screen, name="scan-count"),
    path("scan/pick/", scan.scan_pick, name="scan-pick"),
]
