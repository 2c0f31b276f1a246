"""Trial balance, general ledger and balances: right figures, bounded queries, Excel export."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from erp_core.ledger import reports, services
from erp_core.ledger.tests.helpers import account, draft, line, posted

pytestmark = pytest.mark.django_db


def _sample() -> None:
    posted(day=date(2026, 2, 10), lines=[line("1002", debit="1000"), line("4001", credit="1000")])
    posted(
        day=date(2026, 3, 5),
        lines=[
            line("1403", debit="100"),
            line("22210101", debit="13"),
            line("2202", credit="113"),
        ],
    )
    posted(
        day=date(2026, 3, 20),
        lines=[
            line("1122", debit="226"),
            line("6001", credit="200"),
            line("22210102", credit="26"),
        ],
    )
    draft(day=date(2026, 3, 21), lines=[line("1001", debit="5"), line("1002", credit="5")])


def test_trial_balance_figures_parents_and_totals(books):
    _sample()
    report = reports.trial_balance(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    rows = {row.code: row for row in report.rows}
    assert rows["1002"].opening == Decimal("1000") and rows["1002"].debit == 0
    assert rows["4001"].opening_credit == Decimal("1000")
    assert rows["1403"].debit == Decimal("100") and rows["1403"].closing == Decimal("100")
    assert rows["2221"].debit == Decimal("13") and rows["2221"].credit == Decimal("26")
    assert rows["2221"].closing_credit == Decimal("13")
    assert rows["222101"].closing == Decimal("-13")
    assert "1001" not in rows, "drafts are not in the books"
    assert report.is_balanced and report.closing_sum == 0
    assert report.debit == Decimal("339") == report.credit
    assert report.opening_debit == Decimal("1000") == report.opening_credit


def test_trial_balance_queries_do_not_grow_with_accounts(books):
    _sample()
    with CaptureQueriesContext(connection) as few:
        reports.trial_balance(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    for n in range(1, 15):
        services.account_create(code=f"6402{n:02d}", name_zh=f"费用{n}", name_en=f"Cost {n}")
        posted(lines=[line(f"6402{n:02d}", debit="1"), line("1002", credit="1")])
    with CaptureQueriesContext(connection) as many:
        report = reports.trial_balance(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert len(many) == len(few) <= 2
    assert report.is_balanced


def test_general_ledger_has_a_running_balance(books):
    _sample()
    posted(day=date(2026, 3, 25), lines=[line("1002", debit="50"), line("1122", credit="50")])
    gl = reports.general_ledger(
        account=account("1002"), date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)
    )
    assert gl.opening == Decimal("1000")
    assert [row.balance for row in gl.lines] == [Decimal("1050")]
    assert gl.closing == Decimal("1050")
    vat = reports.general_ledger(
        account=account("2221"), date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    )
    assert [row.balance for row in vat.lines] == [Decimal("13"), Decimal("-13")]


def test_account_balance_as_of_a_date(books):
    _sample()
    assert reports.account_balance(account=account("1002"), as_of=date(2026, 2, 9)) == 0
    assert reports.account_balance(account=account("1002"), as_of=date(2026, 2, 10)) == 1000
    assert reports.account_balance(account=account("2221"), as_of=date(2026, 12, 31)) == -13
    balances = reports.account_balances(as_of=date(2026, 12, 31))
    assert balances["1122"] == Decimal("226") and sum(balances.values()) == 0


def test_trial_balance_workbook_opens_in_excel_format(books):
    _sample()
    report = reports.trial_balance(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    sheet = load_workbook(BytesIO(reports.trial_balance_workbook(report))).active
    codes = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert "1403" in codes and codes[-1] == "Total"
    total = [cell.value for cell in sheet[sheet.max_row]]
    assert total[5] == total[6] == Decimal("339") or total[5] == total[6] == 339
