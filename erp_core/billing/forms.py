"""Forms of the billing pages: they validate and display; the billing services do the saving.

The line forms are built from the rows they offer (delivery lines, receipt lines, lines of the
credited document, open invoices): one quantity (and, for bills, price) field per row, named
after the row's id.
"""

from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from common.widgets import DateInput, SearchSelect
from erp_core.billing.models import Invoice, Payment
from erp_core.billing.selectors import PAYABLE, RECEIVABLE
from erp_core.documents.amounts import plain
from erp_core.ledger.models import Account
from erp_core.models import Partner

DATE = {"widget": DateInput()}
QUANTITY = {"max_digits": 18, "decimal_places": 6, "min_value": 0, "required": False}
PRICE = {"max_digits": 18, "decimal_places": 6, "min_value": 0, "required": False}
AMOUNT = {"max_digits": 18, "decimal_places": 2, "min_value": 0, "required": False}
# The inputs inside a table row: small, numbers to the right, wide enough for a quantity with
# six decimals (a percentage width alone lets the browser squeeze the column to nothing).
CELL_INPUT = {"class": "form-control form-control-sm text-end", "style": "min-width: 8rem"}


def cell_field(**kwargs) -> DecimalNumberField:
    """A number field of a table row, styled here: the Bootstrap mixin has styled the form's
    fields before the row fields are added."""
    return DecimalNumberField(widget=forms.NumberInput(attrs=dict(CELL_INPUT)), **kwargs)


class PartnerChoiceForm(BootstrapFormMixin, forms.Form):
    """The partner a new document is for (the first step of the create pages)."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())

    def __init__(self, *args, customer: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = (Partner.Kind.CUSTOMER if customer else Partner.Kind.SUPPLIER, Partner.Kind.BOTH)
        field = self.fields["partner"]
        field.queryset = Partner.objects.filter(kind__in=kinds, is_active=True).order_by("code")
        role = "customer" if customer else "supplier"
        field.widget = SearchSelect(
            reverse("erp_core:partner-options", query={"role": role}),
            attrs=field.widget.attrs,
        )
        field.widget.choices = field.choices


class LineQuantitiesMixin:
    """One quantity field (``qty_<id>``) per offered row; optionally a price (``price_<id>``)."""

    def add_line_fields(self, rows, *, default, prices: dict | None = None) -> None:
        """Add the quantity (and price) fields of ``rows``."""
        self.rows = list(rows)
        for row in self.rows:
            self.fields[f"qty_{row.pk}"] = cell_field(
                label=_("Quantity"), initial=plain(default(row)), **QUANTITY
            )
            if prices is not None:
                self.fields[f"price_{row.pk}"] = cell_field(
                    label=_("Unit price"), initial=plain(prices.get(row.pk)), **PRICE
                )

    def line_rows(self) -> list[tuple]:
        """(row, quantity field, price field or None) for the template."""
        rows = []
        for row in self.rows:
            price = f"price_{row.pk}"
            rows.append((row, self[f"qty_{row.pk}"], self[price] if price in self.fields else None))
        return rows

    def chosen(self) -> list[tuple]:
        """(row, quantity, price or None) of the rows given a quantity above zero."""
        result = []
        for row in self.rows:
            quantity = self.cleaned_data.get(f"qty_{row.pk}")
            if quantity:
                result.append((row, quantity, self.cleaned_data.get(f"price_{row.pk}")))
        return result


class InvoiceFromSourcesForm(LineQuantitiesMixin, BootstrapFormMixin, forms.Form):
    """A customer invoice from delivery lines, or a supplier bill from receipt lines."""

    date = forms.DateField(label=_("Date"), **DATE)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        help_text=_("Empty: the date plus the partner's payment terms."),
        **DATE,
    )
    supplier_invoice_number = forms.CharField(
        label=_("Supplier's invoice number"), max_length=64, required=False
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, rows, bill: bool, only_delivery: int | None = None, **kwargs) -> None:
        """``only_delivery``: fill in the quantities of that delivery's lines only (the others
        start empty, so they are skipped unless given one)."""
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.bill = bill
        if bill:
            self.fields["supplier_invoice_number"].required = True
            prices = {
                row.pk: row.order_line.net_unit_price.quantize(Decimal("0.000001")) for row in rows
            }
            self.add_line_fields(rows, default=lambda row: row.unbilled_quantity, prices=prices)
        else:
            del self.fields["supplier_invoice_number"]
            self.add_line_fields(
                rows,
                default=lambda row: (
                    row.uninvoiced_quantity
                    if only_delivery is None or row.delivery_id == only_delivery
                    else None
                ),
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not self.chosen():
            raise forms.ValidationError(_("Give a quantity on at least one line."))
        return cleaned


class InvoiceEditForm(LineQuantitiesMixin, BootstrapFormMixin, forms.Form):
    """A saved document's head and its lines' quantities (and, for bills, prices)."""

    date = forms.DateField(label=_("Date"), **DATE)
    due_date = forms.DateField(label=_("Due date"), **DATE)
    supplier_invoice_number = forms.CharField(
        label=_("Supplier's invoice number"), max_length=64, required=False
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, invoice: Invoice, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "date": invoice.date,
                "due_date": invoice.due_date,
                "supplier_invoice_number": invoice.supplier_invoice_number,
                "memo": invoice.memo,
            },
        )
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        if not invoice.is_supplier_side:
            del self.fields["supplier_invoice_number"]
        if invoice.is_credit_note:
            del self.fields["due_date"]
        lines = list(invoice.lines.all())
        prices = (
            {line.pk: line.unit_price for line in lines if not line.credited_line_id}
            if invoice.kind == Invoice.Kind.SUPPLIER_BILL
            else None
        )
        self.add_line_fields(lines, default=lambda line: line.quantity, prices=prices)

    def line_inputs(self) -> list[dict]:
        """The lines as the service takes them, keeping each line's source."""
        inputs = []
        for line, quantity, price in self.chosen():
            if line.delivery_line_id:
                spec = {"delivery_line": line.delivery_line_id}
            elif line.receipt_line_id:
                spec = {"receipt_line": line.receipt_line_id, "tax_code": line.tax_code_id}
            elif line.credited_line_id:
                spec = {"credited_line": line.credited_line_id}
            else:
                spec = {
                    "item": line.item_id,
                    "description": line.description,
                    "unit_price": line.unit_price,
                    "discount_percent": line.discount_percent,
                    "tax_code": line.tax_code_id,
                    "account": line.account_id,
                }
            spec["quantity"] = quantity
            if price is not None and "credited_line" not in spec:
                spec["unit_price"] = price
            inputs.append(spec)
        return inputs

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not self.chosen():
            raise forms.ValidationError(_("Keep a quantity on at least one line."))
        return cleaned


class CreditNoteForm(LineQuantitiesMixin, BootstrapFormMixin, forms.Form):
    """A credit note of a posted document: its date, memo and the quantities credited."""

    date = forms.DateField(label=_("Date"), **DATE)
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, lines, remaining: dict, **kwargs) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.add_line_fields(lines, default=lambda line: remaining.get(line.pk))

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not self.chosen():
            raise forms.ValidationError(_("Give a quantity on at least one line."))
        return cleaned


class AllocationAmountsMixin:
    """One amount field (``alloc_<id>``) per open invoice."""

    def add_allocation_fields(self, invoices) -> None:
        """Add an amount field per open document."""
        self.invoices = list(invoices)
        for invoice in self.invoices:
            self.fields[f"alloc_{invoice.pk}"] = cell_field(label=_("Allocate"), **AMOUNT)

    def allocation_rows(self) -> list[tuple]:
        """(document, amount field) for the template."""
        return [(invoice, self[f"alloc_{invoice.pk}"]) for invoice in self.invoices]

    def allocations(self) -> list[dict]:
        """The allocations as the services take them."""
        return [
            {"invoice": invoice, "amount": self.cleaned_data[f"alloc_{invoice.pk}"]}
            for invoice in self.invoices
            if self.cleaned_data.get(f"alloc_{invoice.pk}")
        ]


class PaymentForm(AllocationAmountsMixin, BootstrapFormMixin, forms.Form):
    """A payment's head, and amounts to allocate to the partner's open invoices or bills."""

    date = forms.DateField(label=_("Date"), **DATE)
    amount = DecimalNumberField(
        label=_("Amount"), max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    bank_account = forms.ModelChoiceField(
        label=_("Bank account"),
        queryset=Account.objects.filter(is_postable=True, is_active=True, code__startswith="100")
        .order_by("code"),
    )  # fmt: skip
    reference = forms.CharField(label=_("Reference"), max_length=64, required=False)
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, invoices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].initial = (
            Account.objects.filter(code="1002").values_list("pk", flat=True).first()
        )
        self.add_allocation_fields(invoices)


class AllocateForm(AllocationAmountsMixin, BootstrapFormMixin, forms.Form):
    """Amounts of a payment's unapplied cash to allocate to open invoices or bills."""

    def __init__(self, *args, invoices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_allocation_fields(invoices)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not self.allocations():
            raise forms.ValidationError(_("Give an amount for at least one document."))
        return cleaned


class AgingForm(BootstrapFormMixin, forms.Form):
    """The date of an aging report."""

    as_of = forms.DateField(label=_("As of"), required=False, **DATE)


class StatementForm(BootstrapFormMixin, forms.Form):
    """Whose statement, which side and which range."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.order_by("code"))
    kind = forms.ChoiceField(
        label=_("Side"),
        choices=[
            ("", _("By partner kind")),
            (RECEIVABLE, _("Receivable")),
            (PAYABLE, _("Payable")),
        ],
        required=False,
    )
    date_from = forms.DateField(label=_("From"), **DATE)
    date_to = forms.DateField(label=_("To"), **DATE)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The range ends before it starts."))
        return cleaned


class PaymentEditForm(BootstrapFormMixin, forms.Form):
    """A saved payment's head."""

    date = forms.DateField(label=_("Date"), **DATE)
    amount = DecimalNumberField(
        label=_("Amount"), max_digits=18, decimal_places=2, min_value=Decimal("0.01")
    )
    bank_account = forms.ModelChoiceField(
        label=_("Bank account"),
        queryset=Account.objects.filter(is_postable=True, is_active=True).order_by("code"),
    )
    reference = forms.CharField(label=_("Reference"), max_length=64, required=False)
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    @classmethod
    def for_payment(cls, payment: Payment, data=None) -> "PaymentEditForm":
        """The form of a saved payment, filled with its values."""
        return cls(
            data,
            initial={
                "date": payment.date,
                "amount": payment.amount,
                "bank_account": payment.bank_account_id,
                "reference": payment.reference,
                "memo": payment.memo,
            },
        )
