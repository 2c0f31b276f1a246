"""REST API of the schedule under /api/v1/erp/: one router, plural kebab-case names."""

from rest_framework.routers import DefaultRouter

from erp_core.scheduling.api import views

app_name = "scheduling-api"

router = DefaultRouter()
router.register("schedules", views.ScheduleViewSet, basename="schedule")
router.register(
    "scheduled-operations", views.ScheduledOperationViewSet, basename="scheduled-operation"
)
router.register("schedule-changes", views.ScheduleChangeViewSet, basename="schedule-change")
router.register("promise-slips", views.PromiseSlipViewSet, basename="promise-slip")
router.register("promise-dates", views.PromiseDatesViewSet, basename="promise-dates")
router.register(
    "maintenance-windows", views.MaintenanceWindowViewSet, basename="maintenance-window"
)
router.register("work-center-shifts", views.WorkCenterShiftViewSet, basename="work-center-shift")
router.register("holidays", views.HolidayViewSet, basename="holiday")

urlpatterns = router.urls
