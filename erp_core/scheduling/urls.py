"""Staff pages of the schedule, under /planning/schedule/."""

from django.urls import path

from erp_core.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("", views.schedule_page, name="schedule"),
    path("run/", views.schedule_run_view, name="run"),
    path("maintenance/", views.maintenance_windows_page, name="maintenance"),
    path(
        "maintenance/<int:pk>/delete/",
        views.maintenance_window_delete_view,
        name="maintenance-delete",
    ),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/shifts/", views.shift_add_view, name="shift-add"),
    path("calendar/shifts/<int:pk>/delete/", views.shift_delete_view, name="shift-delete"),
    path("calendar/holidays/", views.holiday_add_view, name="holiday-add"),
    path("calendar/holidays/<int:pk>/delete/", views.holiday_delete_view, name="holiday-delete"),
]
