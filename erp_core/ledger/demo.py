"""The ledger's demo step: the chart of accounts, periods and opening capital, and the seller's
details on the demo's VAT invoices."""

from erp_core.ledger.selectors import company_settings
from erp_core.ledger.services import (
    category_posting_rules_set,
    company_settings_update,
    ledger_demo_load,
)

# The seller (销售方) on the demo's VAT invoices.
DEMO_COMPANY = {
    "name": "上海众泰传动机械有限公司",
    "tax_id": "91310114MA1GT0A001",
    "address": "上海市嘉定区工业路 88 号",
    "phone": "021-5999 8800",
    "bank_name": "招商银行上海嘉定支行",
    "bank_account": "1219 0688 0010 001",
}


# The inventory account of each demo item category, as a Chinese factory keeps them: raw
# materials and bought parts 原材料, semi-finished and finished goods 库存商品, packaging 周转材料.
DEMO_CATEGORY_ACCOUNTS = (
    ("RM", "1403"),
    ("PURCH", "1403"),
    ("SEMI", "1405"),
    ("FG", "1405"),
    ("PKG", "1411"),
)


def ledger_step() -> dict[str, int]:
    """Load what is missing of the books, set the categories' inventory accounts and fill the
    company's details once."""
    created = {f"ledger {key}": value for key, value in ledger_demo_load().items()}
    created["ledger category posting rules"] = sum(
        category_posting_rules_set(category_code=code, inventory_account=account)
        for code, account in DEMO_CATEGORY_ACCOUNTS
    )
    if not company_settings().tax_id:
        company_settings_update(**DEMO_COMPANY)
    return created
