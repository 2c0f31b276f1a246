"""Staff pages of mes."""

from django.urls import path

from mes.views import board, downtime, genealogy, machines, oee, terminal, work_orders

app_name = "mes"

urlpatterns: list = [
    path("", board.board, name="board"),
    path("machines/", machines.machine_list, name="machine-list"),
    path("machines/new/", machines.machine_create, name="machine-create"),
    path("machines/<int:pk>/", machines.machine_detail, name="machine-detail"),
    path("machines/<int:pk>/edit/", machines.machine_edit, name="machine-edit"),
    path("machines/<int:pk>/cycle-times/", machines.cycle_time_add, name="cycle-time-add"),
    path(
        "machines/<int:pk>/cycle-times/<int:cycle_pk>/delete/",
        machines.cycle_time_remove,
        name="cycle-time-delete",
    ),
    path("downtime/", downtime.downtime_list, name="downtime-list"),
    path("downtime/<int:pk>/correct/", downtime.downtime_correct, name="downtime-correct"),
    path("oee/", oee.oee_page, name="oee"),
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
