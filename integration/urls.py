"""Staff pages of the bus: the event log and replay."""

from django.urls import path

from integration import views

app_name = "integration"

urlpatterns = [
    path("events/", views.event_log, name="event-log"),
    path("events/<uuid:pk>/replay/", views.event_replay_view, name="event-replay"),
]
