"""Staff pages of the bus: the event log."""

from django.urls import path

from integration import views

app_name = "integration"

urlpatterns = [
    path("events/", views.event_log, name="event-log"),
]
