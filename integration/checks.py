"""System checks of the bus: run by ``manage.py`` commands and by Celery workers as they start."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from integration.receivers import registry


@register()
def receivers_are_ordered(app_configs, **kwargs) -> list[Error]:
    """Every ``after`` of a receiver names a receiver of its topic, and no cycle is formed."""
    try:
        registry.check()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="integration.E001")]
    return []
