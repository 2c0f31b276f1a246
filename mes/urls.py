"""Staff pages of mes."""

from django.urls import path

from mes.views import board, downtime, machines, oee

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
]
