"""General ledger services: the only code that changes the books.

Each service is keyword-only and typed and runs in one transaction: a refusal
(``ValidationError`` for bad input, ``common.errors.Conflict`` for a state that forbids it)
writes nothing.

``accounts`` (chart of accounts, journals), ``company`` (company settings), ``periods`` (fiscal
years and periods), ``lines`` (the lines given to entries), ``entries`` (journal entries) and
``seed`` (reference data, demo) — all re-exported here.
"""

from erp_core.ledger.chart import ACCOUNT_TYPE_NORMAL_BALANCE
from erp_core.ledger.services.accounts import (
    ACCOUNT_UPDATE_FIELDS,
    account_create,
    account_update,
    journal_create,
)
from erp_core.ledger.services.company import (
    COMPANY_FIELDS,
    company_settings_update,
    document_date_check,
)
from erp_core.ledger.services.entries import (
    EntryInput,
    PostingPeriods,
    journal_entries_post_lines,
    journal_entry_create_draft,
    journal_entry_delete_draft,
    journal_entry_post,
    journal_entry_post_lines,
    journal_entry_reverse,
    journal_entry_update_draft,
    posting_periods_lock,
)
from erp_core.ledger.services.lines import LineInput, LineLike
from erp_core.ledger.services.periods import (
    fiscal_period_close,
    fiscal_period_reopen,
    fiscal_year_create,
    open_period_for,
)
from erp_core.ledger.services.seed import (
    CHART_OF_ACCOUNTS,
    DEFAULT_POSTING_RULES,
    INVENTORY_SIDE,
    JOURNALS,
    category_posting_rules_set,
    chart_of_accounts_seed,
    journals_seed,
    ledger_demo_load,
    ledger_seed,
    posting_rules_seed,
)

__all__ = [
    "ACCOUNT_TYPE_NORMAL_BALANCE",
    "ACCOUNT_UPDATE_FIELDS",
    "CHART_OF_ACCOUNTS",
    "COMPANY_FIELDS",
    "DEFAULT_POSTING_RULES",
    "INVENTORY_SIDE",
    "JOURNALS",
    "EntryInput",
    "LineInput",
    "LineLike",
    "PostingPeriods",
    "account_create",
    "account_update",
    "category_posting_rules_set",
    "chart_of_accounts_seed",
    "company_settings_update",
    "document_date_check",
    "fiscal_period_close",
    "fiscal_period_reopen",
    "fiscal_year_create",
    "journal_create",
    "journal_entries_post_lines",
    "journal_entry_create_draft",
    "journal_entry_delete_draft",
    "journal_entry_post",
    "journal_entry_post_lines",
    "journal_entry_reverse",
    "journal_entry_update_draft",
    "journals_seed",
    "ledger_demo_load",
    "ledger_seed",
    "open_period_for",
    "posting_periods_lock",
    "posting_rules_seed",
]
