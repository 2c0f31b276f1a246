"""The general ledger services: calendar, chart, posting rules, entries and their refusals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict, NotFound
from erp_core.ledger import selectors, services
from erp_core.ledger.models import (
    Account,
    CompanySettings,
    FiscalPeriod,
    FiscalYear,
    JournalEntry,
    JournalLine,
    PostingKind,
    PostingRule,
)
from erp_core.ledger.money import money
from erp_core.ledger.tests.helpers import TODAY, account, draft, line, posted
from erp_core.testing.books import seed_books
from erp_core.tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    return JournalEntry.objects.count(), JournalLine.objects.count()


# --- money ---------------------------------------------------------------------------------


def test_money_rounds_half_up_to_the_cent_and_refuses_floats():
    assert money("1.005") == Decimal("1.01")
    assert money("-1.005") == Decimal("-1.01")
    assert money(Decimal("2.344")) == Decimal("2.34")
    assert money(None) == Decimal("0.00")
    with pytest.raises(ValueError):
        money(1.5)
    with pytest.raises(ValueError):
        money("abc")
    with pytest.raises(ValueError):
        money("NaN")


# --- settings and calendar -----------------------------------------------------------------


def test_company_settings_are_created_once_with_the_defaults():
    first = selectors.company_settings()
    second = selectors.company_settings()
    assert first.pk == second.pk == 1
    assert (first.base_currency, first.time_zone, first.fiscal_year_start_month) == (
        "CNY",
        "Asia/Shanghai",
        1,
    )
    assert CompanySettings.objects.count() == 1


def test_fiscal_year_create_makes_twelve_monthly_periods():
    year = services.fiscal_year_create(year=2026)
    periods = list(year.periods.order_by("number"))
    assert [p.number for p in periods] == list(range(1, 13))
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert periods[1].start == date(2026, 2, 1) and periods[1].end == date(2026, 2, 28)
    assert all(p.status == FiscalPeriod.Status.OPEN for p in periods)


def test_fiscal_year_follows_the_start_month():
    settings = selectors.company_settings()
    settings.fiscal_year_start_month = 4
    settings.save()
    year = services.fiscal_year_create(year=2026)
    assert (year.start, year.end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert year.periods.get(number=12).start == date(2027, 3, 1)


def test_fiscal_year_twice_is_a_conflict_and_bad_years_are_refused():
    services.fiscal_year_create(year=2026)
    with pytest.raises(Conflict):
        services.fiscal_year_create(year=2026)
    with pytest.raises(ValidationError):
        services.fiscal_year_create(year=12)
    assert FiscalYear.objects.count() == 1


def test_period_close_and_reopen(books):
    period = selectors.period_for_date(date=TODAY)
    user = UserFactory()
    closed = services.fiscal_period_close(period=period, actor=user)
    assert (closed.status, closed.closed_by) == ("closed", user)
    with pytest.raises(Conflict):
        services.fiscal_period_close(period=period, actor=user)
    reopened = services.fiscal_period_reopen(period=period, actor=user)
    assert reopened.status == "open" and reopened.closed_by is None
    with pytest.raises(Conflict):
        services.fiscal_period_reopen(period=period, actor=user)


# --- chart of accounts ---------------------------------------------------------------------


def test_chart_seed_is_idempotent_and_builds_the_tree_by_code():
    created = services.chart_of_accounts_seed()
    assert created >= 40
    assert services.chart_of_accounts_seed() == 0
    vat_in = account("22210101")
    assert vat_in.parent.code == "222101" and vat_in.parent.parent.code == "2221"
    assert (vat_in.name_zh, vat_in.normal_balance) == ("进项税额", "debit")
    assert not account("2221").is_postable and not account("222101").is_postable
    assert account("1002").is_postable
    assert not account("5001").is_postable
    assert {a.code for a in account("5001").children.all()} == {"500101", "500102", "500103"}
    rounding = selectors.rounding_account()
    assert rounding.code == "660301" and rounding.name_zh == "汇兑及尾差"
    assert account("1602").normal_balance == "credit"
    assert account("6001").type == "income"


def _chart() -> list[tuple]:
    return list(
        Account.objects.order_by("code").values_list(
            "code", "parent__code", "name_zh", "name_en", "type", "normal_balance",
            "is_postable", "is_rounding", "is_active",
        )
    )  # fmt: skip


def test_an_empty_chart_written_in_bulk_is_the_chart_written_account_by_account():
    """A new chart goes in by level in bulk; a chart that has accounts already gets the missing
    ones one by one through ``account_create``. Both end in the same tree."""
    services.chart_of_accounts_seed()
    in_bulk = _chart()
    assert Account.history.count() == len(in_bulk)  # each account has its history row
    Account.history.all().delete()
    Account.objects.update(parent=None)
    Account.objects.all().delete()
    services.account_create(code="1001", name_zh="库存现金", name_en="Cash on hand", type="asset")
    services.chart_of_accounts_seed()
    assert _chart() == in_bulk


def test_account_create_needs_its_parent_and_keeps_the_type(books):
    with pytest.raises(ValidationError):
        services.account_create(code="999901", name_zh="无", name_en="None")
    with pytest.raises(ValidationError):
        services.account_create(code="100201", name_zh="X", name_en="X", type="expense")
    with pytest.raises(ValidationError):
        services.account_create(code="12", name_zh="X", name_en="X", type="asset")
    sub = services.account_create(code="640201", name_zh="材料销售成本", name_en="Materials sold")
    assert sub.parent.code == "6402" and sub.type == "expense"
    assert not account("6402").is_postable


def test_an_account_with_lines_or_rules_gets_no_sub_accounts(books):
    posted()
    with pytest.raises(Conflict):
        services.account_create(code="100201", name_zh="工行", name_en="ICBC")
    with pytest.raises(Conflict):
        services.account_create(code="140501", name_zh="甲", name_en="A")
    assert account("1002").is_postable and not Account.objects.filter(code="100201").exists()


def test_account_update_changes_names_and_flags_only(books):
    updated = services.account_update(account=account("6711"), name_en="Other losses")
    assert updated.name_en == "Other losses"
    with pytest.raises(ValidationError):
        services.account_update(account=account("6711"), code="6712")


# --- posting rules -------------------------------------------------------------------------


def test_posting_accounts_fall_back_to_the_default_rule(books):
    default = selectors.posting_accounts(kind=PostingKind.COGS)
    assert (default.debit.code, default.credit.code) == ("6401", "1405")
    assert selectors.posting_accounts(kind="cogs", category_code="RAW").rule == default.rule
    PostingRule.objects.create(
        kind="cogs",
        category_code="RAW",
        debit_account=account("6402"),
        credit_account=account("1403"),
    )
    raw = selectors.posting_accounts(kind="cogs", category_code="RAW")
    assert (raw.debit.code, raw.credit.code) == ("6402", "1403")
    with pytest.raises(NotFound):
        selectors.posting_accounts(kind="nonsense")


def test_every_posting_kind_has_a_default_rule_on_postable_accounts(books):
    for kind in PostingKind.values:
        accounts = selectors.posting_accounts(kind=kind)
        assert accounts.debit.is_postable and accounts.credit.is_postable


def test_posting_rule_on_a_parent_account_is_invalid(books):
    rule = PostingRule(
        kind="cogs",
        category_code="X",
        debit_account=account("5001"),
        credit_account=account("1405"),
    )
    with pytest.raises(ValidationError):
        rule.full_clean()


# --- entries -------------------------------------------------------------------------------


def test_draft_then_post_numbers_the_entry(books):
    user = UserFactory()
    entry = draft(actor=user, memo="capital")
    assert entry.status == "draft" and entry.number is None
    assert entry.period.number == 3 and entry.fiscal_year.year == 2026
    entry = services.journal_entry_post(entry=entry, actor=user)
    assert entry.number == "GEN-2026-000001"
    assert entry.posted_by == user and entry.posted_at is not None
    second = posted(journal="STK", lines=[line("1405", debit="5"), line("1401", credit="5")])
    assert second.number == "STK-2026-000001"
    assert posted().number == "GEN-2026-000002"
    assert posted(day=date(2027, 1, 5)).number == "GEN-2027-000001"


def test_posting_twice_is_a_conflict(books):
    entry = posted()
    with pytest.raises(Conflict):
        services.journal_entry_post(entry=entry, actor=None)
    entry.refresh_from_db()
    assert entry.number == "GEN-2026-000001"


@pytest.mark.parametrize(
    "lines",
    [
        [line("1002", debit="100"), line("4001", credit="99.99")],  # unbalanced
        [line("1002", debit="100")],  # one line
        [],  # no line
        [line("2221", debit="1"), line("1002", credit="1")],  # not postable
        [line("1002", debit="-5"), line("4001", credit="-5")],  # negative
        [line("1002"), line("4001")],  # zero both
        [line("1002", debit="1", credit="1"), line("4001", debit="1", credit="1")],  # both sides
        [line("0000", debit="1"), line("4001", credit="1")],  # unknown account
        [line("1002", debit="1", partner=999999), line("4001", credit="1")],  # unknown partner
        [{"account": "1002", "debit": "x"}, line("4001", credit="1")],  # not a number
        ["nonsense", line("4001", credit="1")],  # not a line
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(books, lines):
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        draft(lines=lines)
    assert "lines" in excinfo.value.message_dict
    assert _counts() == before


def test_an_inactive_account_is_refused(books):
    services.account_update(account=account("1001"), is_active=False)
    with pytest.raises(ValidationError):
        draft(lines=[line("1001", debit="1"), line("4001", credit="1")])


def test_a_date_without_a_period_or_in_a_closed_one_is_refused(books):
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        draft(day=date(2030, 1, 1))
    assert "date" in excinfo.value.message_dict
    services.fiscal_period_close(period=selectors.period_for_date(date=TODAY), actor=None)
    with pytest.raises(ValidationError):
        draft()
    assert _counts() == before


def test_posting_a_draft_whose_period_was_closed_is_refused(books):
    entry = draft()
    period = selectors.period_for_date(date=TODAY)
    services.fiscal_period_close(period=period, actor=None)
    with pytest.raises(ValidationError):
        services.journal_entry_post(entry=entry, actor=None)
    entry.refresh_from_db()
    assert entry.status == "draft" and entry.number is None
    services.fiscal_period_reopen(period=period, actor=None)
    assert services.journal_entry_post(entry=entry, actor=None).number == "GEN-2026-000001"


def test_posting_rechecks_accounts_deactivated_since_the_draft(books):
    entry = draft()
    services.account_update(account=account("1002"), is_active=False)
    with pytest.raises(ValidationError):
        services.journal_entry_post(entry=entry, actor=None)
    assert JournalEntry.objects.get(pk=entry.pk).status == "draft"


def test_update_draft_replaces_lines_and_refuses_posted_entries(books):
    entry = draft()
    services.journal_entry_update_draft(
        entry=entry,
        actor=None,
        memo="changed",
        date=date(2026, 4, 2),
        lines=[line("1002", debit="7"), line("6001", credit="7")],
    )
    entry.refresh_from_db()
    assert (entry.memo, entry.period.number) == ("changed", 4)
    assert sorted(entry.lines.values_list("account__code", flat=True)) == ["1002", "6001"]
    with pytest.raises(ValidationError):
        services.journal_entry_update_draft(
            entry=entry, actor=None, lines=[line("1002", debit="7"), line("6001", credit="6")]
        )
    assert entry.lines.count() == 2
    services.journal_entry_post(entry=entry, actor=None)
    with pytest.raises(Conflict):
        services.journal_entry_update_draft(entry=entry, actor=None, memo="x")
    with pytest.raises(Conflict):
        services.journal_entry_delete_draft(entry=entry)


def test_delete_draft(books):
    entry = draft()
    services.journal_entry_delete_draft(entry=entry)
    assert _counts() == (0, 0)


def test_reverse_posts_a_mirror_once(books):
    partner = PartnerFactory()
    original = posted(
        lines=[
            line("1122", debit="113", partner=partner.pk),
            line("6001", credit="100"),
            line("22210102", credit="13"),
        ]
    )
    reversal = services.journal_entry_reverse(entry=original, date=date(2026, 4, 1), actor=None)
    assert reversal.is_posted and reversal.reversal_of == original
    assert reversal.number == "GEN-2026-000002"
    mirrored = {
        (ln.account.code, ln.debit, ln.credit, ln.partner_id) for ln in reversal.lines.all()
    }
    assert mirrored == {
        ("1122", Decimal("0"), Decimal("113"), partner.pk),
        ("6001", Decimal("100"), Decimal("0"), None),
        ("22210102", Decimal("13"), Decimal("0"), None),
    }
    with pytest.raises(Conflict):
        services.journal_entry_reverse(entry=original, date=date(2026, 4, 1), actor=None)
    with pytest.raises(Conflict):
        services.journal_entry_reverse(entry=reversal, date=date(2026, 4, 1), actor=None)
    assert JournalEntry.objects.count() == 2


def test_reverse_refusals(books):
    entry = draft()
    with pytest.raises(Conflict):
        services.journal_entry_reverse(entry=entry, date=TODAY, actor=None)
    entry = services.journal_entry_post(entry=entry, actor=None)
    with pytest.raises(ValidationError):
        services.journal_entry_reverse(entry=entry, date=date(2026, 3, 1), actor=None)
    with pytest.raises(ValidationError):
        services.journal_entry_reverse(entry=entry, date=date(2031, 1, 1), actor=None)
    assert JournalEntry.objects.count() == 1


# --- entries posted by other services ------------------------------------------------------


def _post_lines(lines, event_id="evt-1", **kwargs):
    return services.journal_entry_post_lines(
        journal_code=kwargs.pop("journal_code", "STK"),
        date=kwargs.pop("date", TODAY),
        memo="stock move",
        lines=lines,
        source_type="stock_move",
        source_id=7,
        source_event_id=event_id,
        **kwargs,
    )


def test_post_lines_posts_a_balanced_entry_at_once(books):
    entry = _post_lines([line("1405", debit="10.005"), line("1401", credit="10.005")])
    assert entry.is_posted and entry.number == "STK-2026-000001"
    assert (entry.source_type, entry.source_id, entry.source_event_id) == ("stock_move", 7, "evt-1")
    assert {ln.debit + ln.credit for ln in entry.lines.all()} == {Decimal("10.01")}


def test_post_lines_puts_the_rounding_residue_on_the_rounding_account(books):
    entry = _post_lines(
        [
            line("1405", debit="33.333"),
            line("1405", debit="33.333"),
            line("1405", debit="33.334"),
            line("1401", credit="100"),
        ]
    )
    lines = list(entry.lines.select_related("account"))
    assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines)
    rounding = [ln for ln in lines if ln.account.is_rounding]
    assert len(rounding) == 1 and rounding[0].debit == Decimal("0.01")


def test_post_lines_refuses_a_real_imbalance(books):
    with pytest.raises(ValidationError):
        _post_lines([line("1405", debit="10.05"), line("1401", credit="10.00")])
    assert _counts() == (0, 0)


def test_post_lines_without_a_rounding_account_refuses_residue(books):
    services.account_update(account=account("660301"), is_rounding=False)
    with pytest.raises(ValidationError):
        _post_lines([line("1405", debit="1.01"), line("1401", credit="1.00")])
    assert _counts() == (0, 0)


def test_post_lines_is_once_per_source_event(books):
    first = _post_lines([line("1405", debit="5"), line("1401", credit="5")])
    again = _post_lines([line("1405", debit="5"), line("1401", credit="5")])
    assert again.pk == first.pk
    assert JournalEntry.objects.count() == 1


def test_post_lines_refusals_write_nothing(books):
    with pytest.raises(NotFound):
        _post_lines([line("1405", debit="5"), line("1401", credit="5")], journal_code="NOPE")
    with pytest.raises(ValidationError):
        _post_lines([line("1405", debit="5"), line("1401", credit="5")], date=date(2031, 1, 1))
    with pytest.raises(ValidationError):
        _post_lines([line("1405", debit="5")])
    assert _counts() == (0, 0)


# --- seeding -------------------------------------------------------------------------------


def test_ledger_seed_and_demo_load_are_idempotent():
    first = services.ledger_demo_load(today=TODAY)
    assert first["entries"] == 1 and first["fiscal_years"] == 2
    again = services.ledger_demo_load(today=TODAY)
    assert again == {
        "accounts": 0,
        "journals": 0,
        "posting_rules": 0,
        "fiscal_years": 0,
        "entries": 0,
    }
    assert JournalEntry.objects.filter(status="posted").count() == 1


def test_seed_books_helper_gives_the_standard_journals():
    seed_books()
    assert set(selectors.journal_list().values_list("code", flat=True)) == {
        "GEN",
        "STK",
        "SAL",
        "PUR",
        "BNK",
        "PRD",
    }


def test_company_settings_update_changes_the_vat_fields_and_refuses_bad_input():
    company = services.company_settings_update(
        tax_id="91310114MA1GT0A001", address=" 上海市嘉定区工业路 88 号 ", bank_name="招商银行"
    )
    company.refresh_from_db()
    assert (company.tax_id, company.address, company.bank_name) == (
        "91310114MA1GT0A001",
        "上海市嘉定区工业路 88 号",
        "招商银行",
    )
    for bad in ({"tax_id": "12345"}, {"name": ""}, {"base_currency": "USD"}):
        with pytest.raises(ValidationError):
            services.company_settings_update(**bad)
    company.refresh_from_db()
    assert (company.tax_id, company.base_currency) == ("91310114MA1GT0A001", "CNY")
    assert company.name
