"""Users, module access and idempotency records: what spans the whole product."""

from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from erp_core.masterdata.models.partners import Partner


class User(AbstractUser):
    """A person who signs in: staff (by role groups) or a partner's user bound to one partner.

    A partner user sees, through the API, only the documents of its partner.
    """

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Set for a customer's or supplier's user: it sees only that partner's data."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_partner_user(self) -> bool:
        """True for a customer's or supplier's user."""
        return self.partner_id is not None

    def clean(self) -> None:
        super().clean()
        if self.partner_id is not None and self.is_staff:
            raise ValidationError(
                {"partner": _("A partner's user cannot be staff: clear 'staff status' first.")}
            )


class ModuleAccess(models.Model):  # noqa: DJ008 - never shown, holds a permission
    """Holds the module-level permission that opens the ERP's screens and API; it has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("access_erp", _("Can use the ERP module")),
            ("access_finance", _("Can use finance screens")),
            ("access_integration", _("Can see the event log and replay deliveries")),
        ]


# How long an Idempotency-Key is remembered.
IDEMPOTENCY_TTL = timedelta(hours=24)


class IdempotencyRecord(models.Model):
    """The stored answer to a create request sent with an ``Idempotency-Key`` header.

    Written in the create's transaction, so a retried request (a lost response, a double click)
    gets the first answer instead of a second document. Keys are per user and kept 24 hours.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=255)
    endpoint = models.CharField(_("endpoint"), max_length=300, help_text=_("Method and path."))
    request_hash = models.CharField(_("request hash"), max_length=64)
    response_status = models.PositiveSmallIntegerField(
        _("response status"), null=True, blank=True, help_text=_("Empty while in flight.")
    )
    response_body = models.JSONField(_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


class ApiTokenName(models.Model):
    """The name a partner gave one of its API tokens ("ERP link", "test script"), so that its
    list says which is which; knox's token has no field for it. Goes with the token."""

    token = models.OneToOneField(
        "knox.AuthToken",
        verbose_name=_("token"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="name",
    )
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        verbose_name = _("API token name")
        verbose_name_plural = _("API token names")

    def __str__(self) -> str:
        return self.name
