"""The reference data of the books (chart, journals, posting rules, fiscal years) and the
demo's opening entry; every part is idempotent.
"""

from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from erp_core.ledger import selectors
from erp_core.ledger.chart import account_shape
from erp_core.ledger.memos import Memo
from erp_core.ledger.models import (
    Account,
    FiscalYear,
    Journal,
    JournalEntry,
    PostingKind,
    PostingRule,
)
from erp_core.ledger.services.accounts import account_create, journal_create
from erp_core.ledger.services.entries import journal_entry_post_lines
from erp_core.ledger.services.periods import fiscal_year_create
from erp_core.models import User

# (code, Chinese name, English name, type, normal balance or None for the type's, is_rounding)
CHART_OF_ACCOUNTS: tuple[tuple[str, str, str, str, str | None, bool], ...] = (
    ("1001", "库存现金", "Cash on hand", "asset", None, False),
    ("1002", "银行存款", "Bank deposits", "asset", None, False),
    ("1122", "应收账款", "Accounts receivable", "asset", None, False),
    ("1123", "预付账款", "Prepayments", "asset", None, False),
    ("1221", "其他应收款", "Other receivables", "asset", None, False),
    ("1401", "材料采购", "Materials in transit (purchases)", "asset", None, False),
    ("1403", "原材料", "Raw materials", "asset", None, False),
    ("1404", "材料成本差异", "Material cost variance", "asset", None, False),
    ("1405", "库存商品", "Finished goods", "asset", None, False),
    ("1408", "委托加工物资", "Materials sent for processing", "asset", None, False),
    ("1411", "周转材料", "Reusable materials", "asset", None, False),
    ("1601", "固定资产", "Fixed assets", "asset", None, False),
    ("1602", "累计折旧", "Accumulated depreciation", "asset", "credit", False),
    ("1901", "待处理财产损溢", "Unsettled asset gains and losses", "asset", None, False),
    ("2202", "应付账款", "Accounts payable", "liability", None, False),
    ("2203", "预收账款", "Advances from customers", "liability", None, False),
    ("2211", "应付职工薪酬", "Payroll payable", "liability", None, False),
    ("2221", "应交税费", "Taxes payable", "liability", None, False),
    ("222101", "应交增值税", "VAT payable", "liability", None, False),
    ("22210101", "进项税额", "Input VAT", "liability", "debit", False),
    ("22210102", "销项税额", "Output VAT", "liability", None, False),
    ("22210103", "进项税额转出", "Input VAT transferred out", "liability", None, False),
    ("2241", "其他应付款", "Other payables", "liability", None, False),
    ("4001", "实收资本", "Paid-in capital", "equity", None, False),
    ("4103", "本年利润", "Profit for the year", "equity", None, False),
    ("4104", "利润分配", "Profit distribution", "equity", None, False),
    ("4190", "期初余额", "Opening balances", "equity", None, False),
    ("5001", "生产成本", "Production cost (WIP)", "cost", None, False),
    ("500101", "直接材料", "Direct materials", "cost", None, False),
    ("500102", "直接人工", "Direct labour", "cost", None, False),
    ("500103", "制造费用", "Manufacturing overhead applied", "cost", None, False),
    ("5101", "制造费用", "Manufacturing overhead", "cost", None, False),
    ("6001", "主营业务收入", "Revenue from main operations", "income", None, False),
    ("6051", "其他业务收入", "Other operating revenue", "income", None, False),
    ("6301", "营业外收入", "Non-operating income", "income", None, False),
    ("6401", "主营业务成本", "Cost of main operations (COGS)", "expense", None, False),
    ("6402", "其他业务成本", "Other operating costs", "expense", None, False),
    ("6602", "管理费用", "Administrative expenses", "expense", None, False),
    ("6603", "财务费用", "Financial expenses", "expense", None, False),
    ("660301", "汇兑及尾差", "Exchange and rounding differences", "expense", None, True),
    ("660302", "利息支出", "Interest expense", "expense", None, False),
    ("660303", "手续费", "Bank charges", "expense", None, False),
    ("6711", "营业外支出", "Non-operating expenses", "expense", None, False),
    ("6901", "以前年度损益调整", "Prior-year profit and loss adjustments", "income", None, False),
)


@transaction.atomic
def chart_of_accounts_seed() -> int:
    """Add the missing accounts of the enterprise accounting standard chart (企业会计准则).

    Idempotent: accounts that exist (by code) are left as they are. Returns how many were added.
    """
    existing = set(Account.objects.values_list("code", flat=True))
    if not existing:
        return _chart_in_bulk()
    created = 0
    # Parents before children: shorter codes first.
    for code, name_zh, name_en, type_, normal, is_rounding in sorted(
        CHART_OF_ACCOUNTS, key=lambda row: (len(row[0]), row[0])
    ):
        if code in existing:
            continue
        if is_rounding and Account.objects.filter(is_rounding=True).exists():
            is_rounding = False
        account_create(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            type=type_,
            normal_balance=normal,
            is_rounding=is_rounding,
        )
        created += 1
    return created


def _chart_in_bulk() -> int:
    """Write the whole chart into an empty one: the tree, types, normal balances and postable
    flags worked out in memory as ``account_create`` would, each level in one insert (with its
    history rows). A new company's books, and every test's, start this way."""
    accounts: dict[str, Account] = {}
    types_by_code: dict[str, str] = {}
    levels: dict[int, list[Account]] = {}
    for code, name_zh, name_en, type_, normal, is_rounding in sorted(
        CHART_OF_ACCOUNTS, key=lambda row: (len(row[0]), row[0])
    ):
        shape = account_shape(
            code=code, type=type_, normal_balance=normal, types_by_code=types_by_code
        )
        parent = accounts[shape.parent_code] if shape.parent_code else None
        account = Account(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            type=shape.type,
            normal_balance=shape.normal_balance,
            parent=parent,
            is_rounding=is_rounding and not any(a.is_rounding for a in accounts.values()),
        )
        if parent is not None:
            parent.is_postable = False
        accounts[code] = account
        types_by_code[code] = account.type
        levels.setdefault(len(code), []).append(account)
    for account in accounts.values():
        # The chart is empty and its codes unique: the database's constraints hold the rest.
        account.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
    for length in sorted(levels):
        for account in levels[length]:
            account.parent_id = account.parent.pk if account.parent else None
        bulk_create_with_history(levels[length], Account)
    return len(accounts)


# (code, English name, Chinese name)
JOURNALS: tuple[tuple[str, str, str], ...] = (
    ("GEN", "General", "记"),
    ("STK", "Inventory", "存货"),
    ("SAL", "Sales", "销售"),
    ("PUR", "Purchases", "采购"),
    ("BNK", "Cash and bank", "收付款"),
    ("PRD", "Production", "生产"),
)


@transaction.atomic
def journals_seed() -> int:
    """Add the missing standard journals (GEN 记, STK 存货, SAL 销售, PUR 采购); idempotent."""
    existing = set(Journal.objects.values_list("code", flat=True))
    created = 0
    for code, name, name_zh in JOURNALS:
        if code not in existing:
            journal_create(code=code, name=name, name_zh=name_zh)
            created += 1
    return created


# kind → (debit account code, credit account code, description)
DEFAULT_POSTING_RULES: dict[str, tuple[str, str, str]] = {
    PostingKind.INVENTORY: ("1405", "1405", "Inventory is carried in 库存商品"),
    PostingKind.STOCK_RECEIPT: ("1405", "1401", "Receipt at standard cost against 材料采购"),
    PostingKind.STOCK_ISSUE: ("5101", "1405", "Issue to manufacturing overhead"),
    PostingKind.ADJUSTMENT_GAIN: ("1405", "1901", "Count gain pending approval (待处理财产损溢)"),
    PostingKind.ADJUSTMENT_LOSS: ("1901", "1405", "Count loss pending approval (待处理财产损溢)"),
    PostingKind.COGS: ("6401", "1405", "Cost of goods sold on shipment"),
    PostingKind.PRODUCTION_CONSUMPTION: ("500101", "1403", "Materials consumed into WIP"),
    PostingKind.PRODUCTION_OUTPUT: ("1405", "500101", "Finished goods out of WIP"),
    PostingKind.PURCHASE_PRICE_VARIANCE: ("1404", "1401", "Actual above standard purchase price"),
    PostingKind.STANDARD_COST_VARIANCE: ("1404", "500101", "Actual above standard production cost"),
    PostingKind.SALES_REVENUE: ("1122", "6001", "Revenue on a customer invoice"),
    PostingKind.OUTPUT_VAT: ("1122", "22210102", "Output VAT (销项税额) on a customer invoice"),
    PostingKind.PURCHASE_BILL: ("1401", "2202", "A supplier bill clears 材料采购 into payables"),
    PostingKind.INPUT_VAT: ("22210101", "2202", "Input VAT (进项税额) on a supplier bill"),
    PostingKind.CUSTOMER_PAYMENT: ("1002", "1122", "A customer's payment into the bank"),
    PostingKind.SUPPLIER_PAYMENT: ("2202", "1002", "A payment to a supplier from the bank"),
    PostingKind.PRODUCTION_LABOUR: ("500102", "2211", "Labour time applied to production"),
    PostingKind.PRODUCTION_MACHINE: ("500103", "5101", "Machine time applied to production"),
    PostingKind.OPENING_BALANCE: ("1405", "4190", "Opening stock against 期初余额"),
    PostingKind.GRIR_ACCRUAL: ("1401", "2202", "Goods received not billed: 应付账款—暂估"),
    PostingKind.PURCHASE_EXPENSE: (
        "6602",
        "2202",
        "A bill line with no receipt (freight, service)",
    ),
    PostingKind.COUNT_GAIN_CLEAR: ("1901", "6602", "Count gains cleared to 管理费用"),
    PostingKind.COUNT_LOSS_NORMAL: ("6602", "1901", "Count losses within norms to 管理费用"),
    PostingKind.COUNT_LOSS_ABNORMAL: ("6711", "1901", "Abnormal count losses to 营业外支出"),
    PostingKind.INPUT_VAT_TRANSFER_OUT: ("6711", "22210103", "进项税额转出 of abnormal losses"),
}

# The kinds whose rules carry the inventory account of an item category, with the side it is
# on; the other side is the default rule's (``category_posting_rules_set``).
INVENTORY_SIDE: dict[str, str] = {
    PostingKind.INVENTORY: "both",
    PostingKind.STOCK_RECEIPT: "debit",
    PostingKind.STOCK_ISSUE: "credit",
    PostingKind.ADJUSTMENT_GAIN: "debit",
    PostingKind.ADJUSTMENT_LOSS: "credit",
    PostingKind.COGS: "credit",
    PostingKind.PRODUCTION_CONSUMPTION: "credit",
    PostingKind.PRODUCTION_OUTPUT: "debit",
    PostingKind.OPENING_BALANCE: "debit",
}


@transaction.atomic
def posting_rules_seed() -> int:
    """Add the missing default posting rule of every event kind (no category); idempotent.

    Needs the chart of accounts (``chart_of_accounts_seed``). Returns how many were added.
    """
    existing = set(PostingRule.objects.filter(category_code="").values_list("kind", flat=True))
    accounts = {account.code: account for account in Account.objects.all()}
    rules = []
    for kind, (debit, credit, description) in DEFAULT_POSTING_RULES.items():
        if kind in existing:
            continue
        if debit not in accounts or credit not in accounts:
            raise ValidationError(_("Seed the chart of accounts before the posting rules."))
        rule = PostingRule(
            kind=kind,
            debit_account=accounts[debit],
            credit_account=accounts[credit],
            description=description,
        )
        # Kinds that have their rule are skipped above; the database holds the constraints.
        rule.full_clean(validate_unique=False, validate_constraints=False)
        rules.append(rule)
    bulk_create_with_history(rules, PostingRule)
    return len(rules)


@transaction.atomic
def category_posting_rules_set(
    *, category_code: str, inventory_account: str, description: str = ""
) -> int:
    """Set once the inventory account of an item category (and of its sub-categories).

    Writes the category's rule of every kind that touches stock (``INVENTORY_SIDE``): the
    inventory account on the stock side, the default rule's account on the other — so that
    receipts, issues, consumption, output, shipments, counts and opening balances of its items
    all post to one inventory account (raw materials and parts 1403, semi-finished and finished
    goods 1405, packaging 1411). Idempotent; returns how many rules were added or changed.
    """
    account = selectors.account_get(code=inventory_account)
    if account.type != Account.Type.ASSET or not (account.is_postable and account.is_active):
        raise ValidationError(
            {"inventory_account": _("Choose an active asset account without sub-accounts.")}
        )
    defaults = selectors.posting_accounts_for(kinds=list(INVENTORY_SIDE))
    changed = 0
    for kind, side in INVENTORY_SIDE.items():
        default = defaults[kind]
        debit = account if side in ("debit", "both") else default.debit
        credit = account if side in ("credit", "both") else default.credit
        rule = PostingRule.objects.filter(kind=kind, category_code=category_code).first()
        if rule is None:
            rule = PostingRule(kind=kind, category_code=category_code)
        elif (rule.debit_account_id, rule.credit_account_id) == (debit.pk, credit.pk):
            continue
        rule.debit_account = debit
        rule.credit_account = credit
        rule.description = description or default.rule.description
        rule.full_clean()
        rule.save()
        changed += 1
    return changed


@transaction.atomic
def ledger_seed(*, today: Date | None = None) -> dict[str, int]:
    """The reference data of the books, each part idempotent: company settings, the chart of
    accounts, the journals, the default posting rules and the fiscal years of this year and next.
    """
    selectors.company_settings()
    today = today or timezone.localdate()
    created = {
        "accounts": chart_of_accounts_seed(),
        "journals": journals_seed(),
        "posting_rules": posting_rules_seed(),
        "fiscal_years": 0,
    }
    start_month = selectors.company_settings().fiscal_year_start_month
    current = today.year if today.month >= start_month else today.year - 1
    for year in (current, current + 1):
        if not FiscalYear.objects.filter(year=year).exists():
            fiscal_year_create(year=year)
            created["fiscal_years"] += 1
    return created


@transaction.atomic
def ledger_demo_load(*, actor: User | None = None, today: Date | None = None) -> dict[str, int]:
    """Seed the books and post the demo's opening entry (paid-in capital); idempotent.

    The entry carries ``source_type="demo"`` and a fixed event id, so a second run posts
    nothing. Purchases, sales and their receivables and payables are not hand-made entries:
    the demo books them through real documents (``erp_core.demo``), so that the receivables,
    payables and stock checks of ``manage.py reconcile`` find documents behind every balance.
    """
    today = today or timezone.localdate()
    created = ledger_seed(today=today)
    day = today.replace(day=1)
    demo = (
        (
            "demo-capital",
            "GEN",
            Memo("paid_in_capital"),
            [("1002", "1000000.00", "0", None), ("4001", "0", "1000000.00", None)],
        ),
    )
    created["entries"] = 0
    for event_id, journal_code, memo, rows in demo:
        if JournalEntry.objects.filter(source_type="demo", source_event_id=event_id).exists():
            continue
        journal_entry_post_lines(
            journal_code=journal_code,
            date=day,
            memo=memo,
            lines=[
                {"account": code, "debit": debit, "credit": credit, "partner": partner}
                for code, debit, credit, partner in rows
            ],
            source_type="demo",
            source_id=None,
            source_event_id=event_id,
            actor=actor,
        )
        created["entries"] += 1
    return created
