"""The posting rules are read once per transaction, and never served stale: an edit in the
transaction empties the cache, and nothing survives the end of the transaction."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from erp_core.ledger import selectors, services
from erp_core.ledger.models import (
    Account,
    Journal,
    PostingKind,
    PostingRule,
    PostingRulesVersion,
)
from erp_core.ledger.tests.helpers import account
from erp_core.models import ItemCategory
from erp_core.testing.books import seed_books

pytestmark = pytest.mark.django_db


def _rule_queries(context: CaptureQueriesContext) -> int:
    return sum("ledger_postingrule" in query["sql"] for query in context.captured_queries)


def test_the_kinds_of_a_posting_are_read_in_one_query(books, django_assert_num_queries):
    kinds = [PostingKind.INVENTORY, PostingKind.STOCK_RECEIPT, PostingKind.PURCHASE_PRICE_VARIANCE]
    with django_assert_num_queries(2):  # the rules, and the category tree (sub-categories inherit)
        accounts = selectors.posting_accounts_for(kinds=kinds, category_code="RM")
    assert [(accounts[k].debit.code, accounts[k].credit.code) for k in kinds] == [
        ("1405", "1405"),
        ("1405", "1401"),
        ("1404", "1401"),
    ]


def test_a_rule_read_once_is_not_read_again_in_the_transaction(books, django_assert_num_queries):
    with django_assert_num_queries(2):  # the rules and the category tree, once
        inventory = selectors.posting_accounts(kind=PostingKind.INVENTORY, category_code="RM")
    with django_assert_num_queries(0):
        again = selectors.posting_accounts(kind=PostingKind.INVENTORY, category_code="RM")
        both = selectors.posting_accounts_for(
            kinds=[PostingKind.INVENTORY, PostingKind.INVENTORY], category_code="RM"
        )
    assert again.debit is inventory.debit and both[PostingKind.INVENTORY].debit is inventory.debit
    with django_assert_num_queries(1):  # another kind, another category: read once each
        selectors.posting_accounts_for(
            kinds=[PostingKind.COGS, PostingKind.INVENTORY], category_code="FG"
        )
    with django_assert_num_queries(0):
        assert selectors.posting_accounts(kind=PostingKind.COGS).debit.code == "6401"


def test_an_unknown_kind_is_refused(books):
    with pytest.raises(selectors.NotFound):
        selectors.posting_accounts_for(kinds=[PostingKind.COGS, "nonsense"])


def test_a_category_rule_wins_over_the_default(books):
    default = selectors.posting_accounts(kind=PostingKind.INVENTORY, category_code="RM")
    PostingRule.objects.create(
        kind=PostingKind.INVENTORY,
        category_code="RM",
        debit_account=account("1403"),
        credit_account=account("1403"),
    )
    rm = selectors.posting_accounts(kind=PostingKind.INVENTORY, category_code="RM")
    assert (default.debit.code, rm.debit.code) == ("1405", "1403")
    assert selectors.posting_accounts(kind=PostingKind.INVENTORY).debit.code == "1405"


def test_an_edited_rule_is_seen_at_once(books):
    assert selectors.posting_accounts(kind=PostingKind.COGS).debit.code == "6401"
    rule = PostingRule.objects.get(kind=PostingKind.COGS, category_code="")
    rule.debit_account = account("1002")
    rule.save()
    assert selectors.posting_accounts(kind=PostingKind.COGS).debit == rule.debit_account


def test_a_deleted_rule_is_not_served(books):
    selectors.posting_accounts(kind=PostingKind.COGS)
    PostingRule.objects.filter(kind=PostingKind.COGS).get().delete()
    with pytest.raises(selectors.NotFound):
        selectors.posting_accounts(kind=PostingKind.COGS)


def test_an_account_change_empties_the_cache(books):
    before = selectors.posting_accounts(kind=PostingKind.COGS).debit
    services.account_update(account=before, name_en="Cost of sales (changed)")
    after = selectors.posting_accounts(kind=PostingKind.COGS).debit
    assert after is not before
    assert after.name_en == "Cost of sales (changed)"


def test_a_rule_added_without_a_signal_is_found(books):
    selectors.posting_accounts(kind=PostingKind.COGS, category_code="FG")
    PostingRule.objects.bulk_create(
        [
            PostingRule(
                kind=PostingKind.COGS,
                category_code="FG",
                debit_account=account("1002"),
                credit_account=account("1002"),
            )
        ]
    )
    # The default still answers for FG until the cache is told: bulk writes send no signal.
    assert selectors.posting_accounts(kind=PostingKind.COGS, category_code="FG").debit.code == (
        "6401"
    )
    selectors.posting_rules_forget()
    assert selectors.posting_accounts(kind=PostingKind.COGS, category_code="FG").debit.code == (
        "1002"
    )


def test_rules_deleted_in_bulk_are_not_served(books):
    selectors.posting_accounts(kind=PostingKind.COGS)
    PostingRule.objects.filter(kind=PostingKind.COGS).delete()
    with pytest.raises(selectors.NotFound):
        selectors.posting_accounts(kind=PostingKind.COGS)


def test_a_kind_without_a_rule_is_read_again_before_it_is_refused(books):
    PostingRule.objects.filter(kind=PostingKind.COGS).delete()
    selectors.posting_accounts(kind=PostingKind.INVENTORY)  # read without any COGS rule
    PostingRule.objects.bulk_create(
        [
            PostingRule(
                kind=PostingKind.COGS, debit_account=account("1002"), credit_account=account("1405")
            )
        ]
    )
    assert selectors.posting_accounts(kind=PostingKind.COGS).debit.code == "1002"


def _token() -> int | None:
    return PostingRulesVersion.objects.values_list("token", flat=True).first()


def test_every_write_to_the_rules_accounts_or_categories_changes_the_version_token(books):
    """The triggers see writes that send no signal. (A migration that rebuilds one of these
    tables on SQLite drops its triggers: it must make them again, or this fails.)"""
    tokens = [_token()]
    PostingRule.objects.filter(kind=PostingKind.COGS).update(description="changed")
    tokens.append(_token())
    Account.objects.filter(code="6401").update(name_en="Cost of sales")
    tokens.append(_token())
    ItemCategory.objects.bulk_create([ItemCategory(code="ZZ", name="New")])
    tokens.append(_token())
    ItemCategory.objects.filter(code="ZZ").delete()
    tokens.append(_token())
    assert None not in tokens[1:] and len(set(tokens)) == len(tokens)
    Journal.objects.filter(code="STK").update(name="Stock")  # not a rule: the token stays
    assert _token() == tokens[-1]


# --- Across transactions (each test commits; the books are emptied afterwards) -----------------


@pytest.fixture
def committed_books(transactional_db):
    seed_books()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_every_lookup_reads(committed_books):
    with CaptureQueriesContext(connection) as context:
        selectors.posting_accounts(kind=PostingKind.COGS)
        selectors.posting_accounts(kind=PostingKind.COGS)
    assert _rule_queries(context) == 2


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_elsewhere_is_seen_by_the_next_transaction(committed_books):
    with transaction.atomic():
        assert selectors.posting_accounts(kind=PostingKind.COGS).debit.code == "6401"
    # As another process would: a write that sends no signal to this one.
    PostingRule.objects.filter(kind=PostingKind.COGS).update(debit_account=account("1002"))
    with transaction.atomic():
        assert selectors.posting_accounts(kind=PostingKind.COGS).debit.code == "1002"


@pytest.mark.django_db(transaction=True)
def test_nothing_survives_a_rolled_back_transaction(committed_books):
    with pytest.raises(RuntimeError), transaction.atomic():
        selectors.posting_accounts(kind=PostingKind.COGS)
        raise RuntimeError("abort")
    PostingRule.objects.filter(kind=PostingKind.COGS).update(debit_account=account("1002"))
    with transaction.atomic():
        assert selectors.posting_accounts(kind=PostingKind.COGS).debit.code == "1002"


@pytest.mark.django_db(transaction=True)
def test_nothing_survives_a_rolled_back_savepoint(committed_books):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            selectors.posting_accounts(kind=PostingKind.COGS)
            raise RuntimeError("abort")
        with CaptureQueriesContext(connection) as context:
            selectors.posting_accounts(kind=PostingKind.COGS)
        assert _rule_queries(context) == 1
