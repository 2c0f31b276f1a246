"""The chart of accounts and the posting rules that map stock events to accounts."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def name_in_language(name_zh: str, name_en: str) -> str:
    """The Chinese or the English name, whichever the reader's language is; the other when the
    first is empty. A page shows one language, never both side by side."""
    if (get_language() or "").startswith("zh"):
        return name_zh or name_en
    return name_en or name_zh


class NormalBalance(models.TextChoices):
    """The side on which an account's balance normally sits."""

    DEBIT = "debit", _("Debit")
    CREDIT = "credit", _("Credit")


class Account(models.Model):
    """An account of the chart: a 4-digit class account or a sub-account (2 more digits a level).

    The tree follows the code: the parent is the account whose code is the longest prefix.
    Only leaves are postable (``is_postable``); the services keep that flag in step with the tree.
    """

    class Type(models.TextChoices):
        # 企业会计准则 classes: 资产 / 负债 / 共同 / 所有者权益 / 成本 / 损益 (income and expense).
        ASSET = "asset", _("Asset")
        LIABILITY = "liability", _("Liability")
        COMMON = "common", _("Common")
        EQUITY = "equity", _("Equity")
        COST = "cost", pgettext_lazy("account type", "Cost")
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9]{4}([0-9]{2})*$", _("Four digits, then two more per sub-account level.")
            )
        ],
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    normal_balance = models.CharField(
        _("normal balance"), max_length=6, choices=NormalBalance.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_postable = models.BooleanField(
        _("postable"), default=True, help_text=_("Only accounts without sub-accounts take lines.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_rounding = models.BooleanField(
        _("rounding account"),
        default=False,
        help_text=_("Takes the rounding residue of entries posted by other services."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    type__in=["asset", "liability", "common", "equity", "cost", "income", "expense"]
                ),
                name="ledger_account_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(normal_balance__in=["debit", "credit"]),
                name="ledger_account_normal_balance_valid",
            ),
            models.UniqueConstraint(
                fields=["is_rounding"],
                condition=Q(is_rounding=True),
                name="ledger_account_one_rounding_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        """The account's name in the reader's language."""
        return name_in_language(self.name_zh, self.name_en)

    @property
    def level(self) -> int:
        """1 for a class account (4 digits), 2 for its sub-accounts, and so on."""
        return 1 + (len(self.code) - 4) // 2

    @property
    def sign(self) -> int:
        """+1 for a debit-normal account, -1 for a credit-normal one (debit-positive balances)."""
        return 1 if self.normal_balance == NormalBalance.DEBIT else -1


class PostingKind(models.TextChoices):
    """The events of the stock ledger (and others) that post to the general ledger."""

    INVENTORY = "inventory", _("Inventory account")
    STOCK_RECEIPT = "stock_receipt", _("Stock receipt")
    STOCK_ISSUE = "stock_issue", _("Stock issue")
    ADJUSTMENT_GAIN = "adjustment_gain", _("Inventory adjustment gain")
    ADJUSTMENT_LOSS = "adjustment_loss", _("Inventory adjustment loss")
    COGS = "cogs", _("Cost of goods sold")
    PRODUCTION_CONSUMPTION = "production_consumption", _("Production consumption (WIP)")
    PRODUCTION_OUTPUT = "production_output", _("Production output")
    PURCHASE_PRICE_VARIANCE = "purchase_price_variance", _("Purchase price variance")
    STANDARD_COST_VARIANCE = "standard_cost_variance", _("Standard cost variance")
    SALES_REVENUE = "sales_revenue", _("Sales revenue")
    OUTPUT_VAT = "output_vat", _("Output VAT")
    PURCHASE_BILL = "purchase_bill", _("Supplier bill")
    INPUT_VAT = "input_vat", _("Input VAT")
    CUSTOMER_PAYMENT = "customer_payment", _("Customer payment")
    SUPPLIER_PAYMENT = "supplier_payment", _("Supplier payment")
    PRODUCTION_LABOUR = "production_labour", _("Production labour")
    PRODUCTION_MACHINE = "production_machine", _("Production machine time")
    # Books part 1 (#15): opening balances, GR/IR accrual, bills without a receipt, counts.
    OPENING_BALANCE = "opening_balance", _("Opening balance")
    GRIR_ACCRUAL = "grir_accrual", _("Goods received not billed (accrual)")
    PURCHASE_EXPENSE = "purchase_expense", _("Supplier bill line without a receipt")
    COUNT_GAIN_CLEAR = "count_gain_clear", _("Count gain cleared")
    COUNT_LOSS_NORMAL = "count_loss_normal", _("Count loss within norms cleared")
    COUNT_LOSS_ABNORMAL = "count_loss_abnormal", _("Abnormal count loss cleared")
    INPUT_VAT_TRANSFER_OUT = "input_vat_transfer_out", _("Input VAT transferred out")


class PostingRule(models.Model):
    """Which accounts an event posts to: debit and credit, per event kind and item category.

    The rule without a category is the default of its kind; a category's rule overrides it.
    Amounts are posted as a positive figure on these sides; a negative amount swaps them.
    """

    kind = models.CharField(_("event kind"), max_length=32, choices=PostingKind.choices)
    category_code = models.CharField(
        _("item category code"),
        max_length=32,
        blank=True,
        default="",
        help_text=_("Empty: the default rule of this kind."),
    )
    debit_account = models.ForeignKey(
        Account, verbose_name=_("debit account"), on_delete=models.PROTECT, related_name="+"
    )
    credit_account = models.ForeignKey(
        Account, verbose_name=_("credit account"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("posting rule")
        verbose_name_plural = _("posting rules")
        ordering = ["kind", "category_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "category_code"], name="ledger_posting_rule_unique"
            ),
        ]

    def __str__(self) -> str:
        category = self.category_code or "*"
        return f"{self.get_kind_display()} [{category}]"

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in ("debit_account", "credit_account"):
            account = getattr(self, name, None) if getattr(self, f"{name}_id") else None
            if account is not None and not (account.is_postable and account.is_active):
                errors[name] = _("Choose an active account without sub-accounts.")
        if errors:
            raise ValidationError(errors)


class PostingRulesVersion(models.Model):
    """A token that changes whenever a posting rule, an account or an item category changes.

    Database triggers (migration ``posting_rules_version``) give the one row a new random token
    on every insert, update or delete of those tables, whatever wrote it — a service, the admin,
    a bulk update, another process — and inside the writing transaction, so the new token is
    seen exactly when the change is. A process keeps the rules it read under the token it read
    with them and serves them again to a posting that reads the same token
    (``selectors.posting_rules_seen``). Without the row nothing is kept across transactions.
    """

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("posting rules version")
        verbose_name_plural = _("posting rules versions")

    def __str__(self) -> str:
        return str(self.token)
