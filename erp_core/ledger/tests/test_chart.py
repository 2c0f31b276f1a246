"""The chart's tree rules alone: no database."""

import pytest
from django.core.exceptions import ValidationError

from erp_core.ledger.chart import AccountShape, account_shape, parent_codes

CHART = {"2221": "liability", "222101": "liability", "1602": "asset"}


def shape(code: str, type: str | None = None, normal_balance: str | None = None) -> AccountShape:
    return account_shape(code=code, type=type, normal_balance=normal_balance, types_by_code=CHART)


def test_the_possible_parents_are_the_proper_prefixes_of_two_digit_steps():
    assert parent_codes("22210101") == ["2221", "222101"]
    assert parent_codes("1001") == []


def test_a_class_account_has_no_parent_and_its_types_normal_balance():
    assert shape("1001", "asset") == AccountShape(None, "asset", "debit")
    assert shape("6001", "income") == AccountShape(None, "income", "credit")


def test_a_sub_account_hangs_under_its_longest_prefix_with_the_parents_type():
    assert shape("22210101") == AccountShape("222101", "liability", "credit")
    assert shape("222102", "liability") == AccountShape("2221", "liability", "credit")


def test_a_given_normal_balance_wins_over_the_types():
    assert shape("160201", normal_balance="credit") == AccountShape("1602", "asset", "credit")
    assert shape("22210101", normal_balance="debit").normal_balance == "debit"


@pytest.mark.parametrize(
    ("code", "type", "field"),
    [
        ("999901", None, "code"),  # no parent
        ("12345678", "asset", "code"),  # no prefix in the chart
        ("222101", "expense", "type"),  # not the parent's type
        ("1001", None, "type"),  # a class account needs a type
    ],
)
def test_a_misplaced_account_is_refused_on_its_field(code, type, field):
    with pytest.raises(ValidationError) as refused:
        shape(code, type)
    assert field in refused.value.message_dict


def test_an_unknown_type_gets_no_normal_balance_and_is_left_to_the_model():
    assert shape("1001", "nonsense").normal_balance == ""
