"""Staff pages of the stock ledger, under /stock/."""

from django.urls import path

from erp_core.stock import views

app_name = "stock"

urlpatterns = [
    path("", views.balance_list, name="balance-list"),
    path("<int:item_id>/<int:warehouse_id>/", views.move_list, name="move-list"),
    path("moves/", views.move_journal, name="move-journal"),
    path("adjustments/new/", views.adjustment_create, name="adjustment-create"),
    path("on-hand/<int:item_id>/", views.on_hand, name="on-hand"),
]
