"""App configuration for the event bus."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    """The event bus; its tasks are registered with Celery when Django starts."""

    name = "integration"
    verbose_name = _("Integration")

    def ready(self) -> None:
        from integration import tasks  # noqa: F401
