"""App configuration for the event bus."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    """The event bus; its tasks are registered with Celery and its checks with Django."""

    name = "integration"
    verbose_name = _("Integration")

    def ready(self) -> None:
        from integration import checks, tasks  # noqa: F401
