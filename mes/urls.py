"""Staff pages of mes."""

from django.urls import path

from mes.views import genealogy, terminal, work_orders

app_name = "mes"

urlpatterns: list = [
    path("terminal/", terminal.terminal, name="terminal"),
    path("terminal/<int:machine>/", terminal.terminal_machine, name="terminal-machine"),
    path(
        "terminal/<int:machine>/operations/<int:operation>/<slug:verb>/",
        terminal.terminal_action,
        name="terminal-action",
    ),
    path("work-orders/", work_orders.work_order_list, name="work-order-list"),
    path("work-orders/<int:pk>/", work_orders.work_order_detail, name="work-order-detail"),
    path("lots/", genealogy.lot_list, name="lot-list"),
    path("lots/<int:pk>/", genealogy.lot_detail, name="lot-detail"),
]
