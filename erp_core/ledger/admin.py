"""Django admin of the ledgers: settings, calendar, chart, posting rules, journals and entries.

Posted entries are read-only here as in the database; posting and reversing go through the
services (admin actions), never through a plain save.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.errors import DomainError
from erp_core.ledger import closing, services
from erp_core.ledger.models import (
    Account,
    CompanySettings,
    FiscalPeriod,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    JournalSequence,
    PeriodClosing,
    PostingRule,
)


def _report(admin_obj: admin.ModelAdmin, request: HttpRequest, obj, exc: Exception) -> None:
    """Show a refused service call as an error message naming the object."""
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    admin_obj.message_user(request, f"{obj}: {text}", messages.ERROR)


@admin.register(CompanySettings)
class CompanySettingsAdmin(SimpleHistoryAdmin):
    """The single row of accounting settings."""

    list_display = ("name", "base_currency", "time_zone", "fiscal_year_start_month")
    fieldsets = (
        (None, {"fields": ("name", "base_currency", "time_zone", "fiscal_year_start_month")}),
        (
            _("VAT invoice fields"),
            {"fields": ("tax_id", "address", "phone", "bank_name", "bank_account")},
        ),
        (_("Invoicing"), {"fields": ("invoice_on_shipment",)}),
        (_("Month-end close"), {"fields": ("overhead_allocation",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        """One row only: it is created on first use."""
        return not CompanySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """The settings are never deleted."""
        return False


class FiscalPeriodInline(admin.TabularInline):
    """The twelve periods of a year, read-only (close and reopen from the period list)."""

    model = FiscalPeriod
    extra = 0
    can_delete = False
    fields = ("number", "start", "end", "status", "closed_at", "closed_by")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    """Fiscal years: adding one creates its twelve periods through ``fiscal_year_create``."""

    list_display = ("year", "start", "end")
    inlines = (FiscalPeriodInline,)

    def get_fields(self, request: HttpRequest, obj=None):
        return ("year",) if obj is None else ("year", "start", "end")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return () if obj is None else ("year", "start", "end")

    def save_model(self, request: HttpRequest, obj: FiscalYear, form, change: bool) -> None:
        """Create through the service, which also makes the periods and sequences."""
        if change:
            return
        created = services.fiscal_year_create(year=obj.year)
        obj.pk, obj.start, obj.end = created.pk, created.start, created.end

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """A fiscal year is never deleted once entries may point at it."""
        return False


@admin.register(FiscalPeriod)
class FiscalPeriodAdmin(admin.ModelAdmin):
    """Fiscal periods with close and reopen actions."""

    list_display = ("__str__", "start", "end", "status", "closed_at", "closed_by")
    list_filter = ("status", "fiscal_year")
    list_select_related = ("fiscal_year", "closed_by")
    readonly_fields = ("fiscal_year", "number", "start", "end", "status", "closed_at", "closed_by")
    actions = ("close_periods", "reopen_periods")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Periods come with their fiscal year."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Close the selected periods"), permissions=("close",))
    def close_periods(self, request: HttpRequest, queryset: QuerySet[FiscalPeriod]) -> None:
        """Close each period through its month-end close (``period_month_end_close``)."""
        for period in queryset.order_by("start"):
            try:
                closing.period_month_end_close(period=period, user=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, period, exc)

    @admin.action(description=_("Reopen the selected periods"), permissions=("close",))
    def reopen_periods(self, request: HttpRequest, queryset: QuerySet[FiscalPeriod]) -> None:
        """Reopen each period through ``period_month_end_reopen`` (its closing reversed)."""
        for period in queryset.order_by("start"):
            try:
                closing.period_month_end_reopen(period=period, user=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, period, exc)

    def has_close_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ledger.close_fiscalperiod")


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    """The chart of accounts with its change history; new accounts go through the service."""

    list_display = (
        "code",
        "name_zh",
        "name_en",
        "type",
        "normal_balance",
        "is_postable",
        "is_active",
        "is_rounding",
    )
    list_filter = ("type", "normal_balance", "is_postable", "is_active", "is_rounding")
    search_fields = ("code", "name_zh", "name_en")
    readonly_fields = ("parent", "is_postable")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        """Code, type and normal balance are fixed once lines may exist."""
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "code", "type", "normal_balance")

    def save_model(self, request: HttpRequest, obj: Account, form, change: bool) -> None:
        """Add through ``account_create`` (parent and postable flags); change the rest plainly."""
        if change:
            services.account_update(
                account=obj, **{f: getattr(obj, f) for f in services.ACCOUNT_UPDATE_FIELDS}
            )
            return
        created = services.account_create(
            code=obj.code,
            name_zh=obj.name_zh,
            name_en=obj.name_en,
            type=obj.type,
            normal_balance=obj.normal_balance,
            is_rounding=obj.is_rounding,
            is_active=obj.is_active,
        )
        obj.pk = created.pk

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Accounts are deactivated, not deleted."""
        return False


@admin.register(PostingRule)
class PostingRuleAdmin(SimpleHistoryAdmin):
    """Which accounts each stock event posts to, per item category; with history."""

    list_display = ("kind", "category_code", "debit_account", "credit_account", "description")
    list_filter = ("kind",)
    list_select_related = ("debit_account", "credit_account")
    search_fields = ("category_code", "description")
    autocomplete_fields = ("debit_account", "credit_account")


@admin.register(Journal)
class JournalAdmin(admin.ModelAdmin):
    """Journals (books with their own numbering)."""

    list_display = ("code", "name", "name_zh", "is_active")
    search_fields = ("code", "name", "name_zh")

    def save_model(self, request: HttpRequest, obj: Journal, form, change: bool) -> None:
        """A new journal gets its number sequences through ``journal_create``."""
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.pk = services.journal_create(code=obj.code, name=obj.name, name_zh=obj.name_zh).pk


@admin.register(JournalSequence)
class JournalSequenceAdmin(admin.ModelAdmin):
    """Next numbers per journal and year: read-only, the posting service moves them."""

    list_display = ("journal", "fiscal_year", "next_number")
    list_select_related = ("journal", "fiscal_year")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class JournalLineInline(admin.TabularInline):
    """An entry's lines: editable on drafts, read-only once posted."""

    model = JournalLine
    extra = 0
    fields = ("account", "debit", "credit", "partner", "memo")
    autocomplete_fields = ("account", "partner")

    def _posted(self, obj) -> bool:
        return obj is not None and obj.is_posted

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._posted(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._posted(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self._posted(obj) and super().has_delete_permission(request, obj)


class JournalEntryAdminForm(forms.ModelForm):
    """A draft's fields; the date must fall in an open period."""

    class Meta:
        model = JournalEntry
        fields = ("journal", "date", "memo")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("date"):
            try:
                services.open_period_for(date=cleaned["date"])
            except ValidationError as exc:
                self.add_error("date", exc.messages)
        return cleaned


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    """Journal entries with their lines; read-only once posted; post and reverse as actions.

    Drafts saved here are checked by the post service (balance, accounts, period) when posted.
    """

    list_display = (
        "__str__", "journal", "date", "memo_display", "status", "source_type", "posted_at",
    )  # fmt: skip
    list_filter = ("status", "journal", "fiscal_year", "source_type")
    list_select_related = ("journal",)
    search_fields = ("number", "memo", "source_event_id")
    date_hierarchy = "date"
    inlines = (JournalLineInline,)
    form = JournalEntryAdminForm
    fields = (
        "journal",
        "date",
        "memo",
        "status",
        "number",
        "fiscal_year",
        "period",
        "source_type",
        "source_id",
        "source_event_id",
        "reversal_of",
        "created_by",
        "posted_at",
        "posted_by",
    )
    readonly_fields = (
        "status",
        "number",
        "fiscal_year",
        "period",
        "source_type",
        "source_id",
        "source_event_id",
        "reversal_of",
        "created_by",
        "posted_at",
        "posted_by",
    )
    actions = ("post_entries", "reverse_entries")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is not None and obj.is_posted:
            return self.fields
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Only drafts are deleted; posted entries are reversed."""
        if obj is not None and obj.is_posted:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: JournalEntry, form, change: bool) -> None:
        """A draft's period follows its date; a date without an open period is refused."""
        period = services.open_period_for(date=obj.date)
        obj.period, obj.fiscal_year = period, period.fiscal_year
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> None:
        """Delete drafts through the service; posted entries are skipped with a message."""
        for entry in queryset:
            try:
                services.journal_entry_delete_draft(entry=entry)
            except DomainError as exc:
                _report(self, request, entry, exc)

    @admin.action(description=_("Post the selected drafts"), permissions=("post",))
    def post_entries(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> None:
        """Post each draft through ``journal_entry_post``."""
        for entry in queryset.order_by("date", "pk"):
            try:
                services.journal_entry_post(entry=entry, actor=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, entry, exc)

    @admin.action(
        description=_("Reverse the selected entries (dated today)"), permissions=("reverse",)
    )
    def reverse_entries(self, request: HttpRequest, queryset: QuerySet[JournalEntry]) -> None:
        """Reverse each posted entry through ``journal_entry_reverse``, dated today."""
        for entry in queryset.order_by("date", "pk"):
            try:
                services.journal_entry_reverse(
                    entry=entry, date=timezone.localdate(), actor=request.user
                )
            except (ValidationError, DomainError) as exc:
                _report(self, request, entry, exc)

    def has_post_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ledger.post_journalentry")

    def has_reverse_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("ledger.reverse_journalentry")


@admin.register(PeriodClosing)
class PeriodClosingAdmin(admin.ModelAdmin):
    """Month-end and year-end closings, read-only: close and reopen from the periods page."""

    list_display = ("__str__", "kind", "status", "closed_at", "closed_by", "reversed_at")
    list_filter = ("kind", "status", "period__fiscal_year")
    list_select_related = ("period__fiscal_year", "closed_by")
    search_fields = ("entries__number",)
    readonly_fields = (
        "kind", "period", "status", "entries", "steps", "closed_at", "closed_by",
        "reversed_at", "reversed_by",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
