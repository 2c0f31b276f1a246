"""The ledger's demo step: the chart of accounts, periods and opening capital, and the seller's
details on the demo's VAT invoices."""

from erp_core.ledger.selectors import company_settings
from erp_core.ledger.services import company_settings_update, ledger_demo_load

# The seller (销售方) on the demo's VAT invoices.
DEMO_COMPANY = {
    "name": "上海众泰传动机械有限公司",
    "tax_id": "91310114MA1GT0A001",
    "address": "上海市嘉定区工业路 88 号",
    "phone": "021-5999 8800",
    "bank_name": "招商银行上海嘉定支行",
    "bank_account": "1219 0688 0010 001",
}


def ledger_step() -> dict[str, int]:
    """Load what is missing of the books and fill the company's details once."""
    created = {f"ledger {key}": value for key, value in ledger_demo_load().items()}
    if not company_settings().tax_id:
        company_settings_update(**DEMO_COMPANY)
    return created
