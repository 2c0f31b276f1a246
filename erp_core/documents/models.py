"""What every business document shares: a number, a status flow, who did what, and amounts.

Documents follow the Chinese ERP habit: saved (draft, editable) → approved (审核) → back to saved
(反审核) while nothing downstream exists → voided (作废). Each document model subclasses
``Document`` and declares its own ``Status`` choices, which must contain ``draft``, ``approved``
and ``voided`` and may add more (``closed``, ``cancelled``…).
"""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.limits import PERCENT_LIMITS, POSITIVE_QUANTITY_LIMITS, PRICE_LIMITS, TAX_RATE_LIMITS

# Keyword arguments of the DecimalFields every document uses.
QUANTITY: dict[str, Any] = {"max_digits": 18, "decimal_places": 6}
MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}
PRICE: dict[str, Any] = {"max_digits": 18, "decimal_places": 6}
PERCENT: dict[str, Any] = {"max_digits": 7, "decimal_places": 4}
RATE: dict[str, Any] = {"max_digits": 5, "decimal_places": 4}

DRAFT = "draft"
APPROVED = "approved"
VOIDED = "voided"


class DocumentSequence(models.Model):
    """The next number of a kind of document in a year (``SO`` 2026 → ``SO-2026-000042``).

    The row is locked while a number is taken, so numbers are unique and without gaps among
    committed documents: a rolled-back save gives its number back.
    """

    kind = models.CharField(_("document kind"), max_length=16)
    year = models.PositiveSmallIntegerField(_("year"))
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        ordering = ["kind", "year"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="documents_sequence_unique"),
            models.CheckConstraint(
                condition=Q(next_number__gte=1), name="documents_sequence_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}-{self.year}: {self.next_number}"


class Document(models.Model):
    """The common fields of a numbered business document; subclass it (it has no table).

    ``revision`` grows with every change, so an edit based on an older read is refused
    (a stale update) instead of silently overwriting someone else's change.
    """

    #: The number prefix of the kind (``SO``, ``PO``…); set it on the subclass.
    NUMBER_PREFIX = ""
    #: Who a document in each status waits for (a role's next step), shown on its page: the
    #: hand-off between roles said in words ("Waiting for the warehouse to ship").
    WAITING_ON: ClassVar[Mapping[str, str | Promise]] = {}

    # Each kind declares its own ``status`` field, with its own choices (draft, approved,
    # voided and whatever steps the kind has between them).
    status: str
    get_status_display: Callable[[], str]

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    void_reason = models.CharField(_("void reason"), max_length=255, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.number or f"{self._meta.verbose_name} (new)"

    @property
    def is_draft(self) -> bool:
        """Saved and still editable."""
        return self.status == DRAFT

    @property
    def is_approved(self) -> bool:
        """Approved (审核): binding, no longer editable."""
        return self.status == APPROVED

    @property
    def waiting_on(self) -> str | Promise | None:
        """Who the document waits for in its status (``WAITING_ON``); None when nobody."""
        return self.WAITING_ON.get(getattr(self, "status", ""))

    @property
    def is_voided(self) -> bool:
        """Voided (作废): kept for the record, takes no further part."""
        return self.status == VOIDED


class AmountLine(models.Model):
    """A priced document line: quantity × unit price (before VAT) less a discount, plus VAT.

    ``net_amount``, ``tax_amount`` and ``gross_amount`` are computed by
    ``erp_core.documents.amounts.line_amounts`` in the services and stored, so that a printed
    document and its entries never disagree with a later change of rounding.
    """

    line_no = models.PositiveSmallIntegerField(_("line"))
    item = models.ForeignKey(
        "erp_core.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY, validators=POSITIVE_QUANTITY_LIMITS)
    unit_price = models.DecimalField(
        _("unit price (excl. VAT)"), **PRICE, default=Decimal("0"), validators=PRICE_LIMITS
    )
    discount_percent = models.DecimalField(
        _("discount %"), **PERCENT, default=Decimal("0"), validators=PERCENT_LIMITS
    )
    tax_code = models.ForeignKey(
        "erp_core.TaxCode",
        verbose_name=_("VAT code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    tax_rate = models.DecimalField(
        _("VAT rate"), **RATE, default=Decimal("0"), validators=TAX_RATE_LIMITS
    )
    net_amount = models.DecimalField(_("amount"), **MONEY, default=Decimal("0"))
    tax_amount = models.DecimalField(_("VAT"), **MONEY, default=Decimal("0"))
    gross_amount = models.DecimalField(_("amount incl. VAT"), **MONEY, default=Decimal("0"))

    class Meta:
        abstract = True
        ordering = ["line_no"]

    def __str__(self) -> str:
        return f"{self.line_no}: {self.item_id} × {self.quantity}"
