"""Django admin of CRM: every model, with search, filters and history. Collections rows come
from the ERP's events and are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin
from crm.models import (
    Account,
    Activity,
    Contact,
    Lead,
    Opportunity,
    PaymentReceipt,
    PromiseToPay,
    Quote,
    QuoteLine,
    Receivable,
    ReceivableCredit,
    Stage,
    Ticket,
    TracedInput,
    TracedLot,
    TracedSerial,
    TracedShipment,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Account)
class AccountAdmin(SimpleHistoryAdmin):
    list_display = ("name", "partner", "owner", "tax_id", "phone", "created_at")
    search_fields = ("name", "tax_id", "phone", "email", "partner__code")
    list_filter = ("owner",)
    raw_id_fields = ("partner",)
    inlines = (ContactInline,)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "title", "phone", "email", "is_primary")
    search_fields = ("name", "email", "phone", "account__name")
    list_filter = ("is_primary",)


@admin.register(Lead)
class LeadAdmin(SimpleHistoryAdmin):
    list_display = ("company", "contact_name", "source", "status", "score", "owner", "created_at")
    search_fields = ("company", "contact_name", "email", "phone", "tax_id")
    list_filter = ("status", "source", "owner")


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("position", "name", "probability", "outcome", "is_active")
    list_filter = ("outcome", "is_active")
    search_fields = ("name",)


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account", "stage", "amount", "probability", "expected_close", "owner")
    search_fields = ("name", "account__name")
    list_filter = ("stage", "owner")


class QuoteLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = QuoteLine
    extra = 0
    can_delete = False


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "account", "date", "valid_until", "status", "gross_amount")
    search_fields = ("number", "account__name")
    list_filter = ("status", "language")
    inlines = (QuoteLineInline,)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "account", "owner", "due_at", "done_at")
    search_fields = ("subject", "account__name")
    list_filter = ("kind", "reason", "owner")


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    list_display = ("number", "account", "subject", "priority", "status", "sla_due_at")
    search_fields = ("number", "subject", "lot_or_serial", "account__name")
    list_filter = ("status", "priority")


@admin.register(Receivable)
class ReceivableAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "invoice_id",
        "partner",
        "invoiced",
        "amount",
        "open_amount",
        "due_date",
        "dunning_stage",
        "is_posted",
    )
    search_fields = ("invoice_id", "partner__name", "partner__code")
    list_filter = ("dunning_stage", "is_posted")


@admin.register(ReceivableCredit)
class ReceivableCreditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("credit_note_id", "invoice_id", "partner", "amount", "is_posted", "posted_at")
    search_fields = ("credit_note_id", "invoice_id", "partner__name")
    list_filter = ("is_posted",)


@admin.register(PaymentReceipt)
class PaymentReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("payment_id", "partner", "amount", "unapplied", "received_at")
    search_fields = ("payment_id", "partner__name")
    list_filter = ("received_at",)


@admin.register(PromiseToPay)
class PromiseToPayAdmin(admin.ModelAdmin):
    list_display = ("account", "amount", "promised_date", "status")
    search_fields = ("account__name",)
    list_filter = ("status",)


@admin.register(TracedLot)
class TracedLotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "item", "production_order_number", "work_order_id", "made_at")
    search_fields = ("number", "item__code", "production_order_number")
    list_filter = ("made_at",)
    list_select_related = ("item",)


@admin.register(TracedSerial)
class TracedSerialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("serial", "item", "lot")
    search_fields = ("serial", "item__code", "lot__number")
    list_select_related = ("item", "lot")


@admin.register(TracedInput)
class TracedInputAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("work_order_id", "item", "lot_number", "quantity")
    search_fields = ("lot_number", "item__code")
    list_select_related = ("item",)


@admin.register(TracedShipment)
class TracedShipmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("lot_number", "serial", "item", "customer", "sales_order", "shipped_at")
    search_fields = ("lot_number", "serial", "customer__name", "sales_order__number")
    list_filter = ("shipped_at",)
    list_select_related = ("item", "customer", "sales_order")
