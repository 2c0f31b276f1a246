"""App configuration of the shared document machinery (numbering, status flow, printing)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """What every business document shares: numbers, the save → approve → void flow, prints."""

    name = "erp_core.documents"
    label = "documents"
    verbose_name = _("Documents")
