"""The shared document machinery: numbers, the status guards, amounts and 大写."""

import datetime as dt
import threading
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection, transaction
from openpyxl import load_workbook

from common.errors import Conflict
from erp_core.documents.amounts import line_amounts, totals
from erp_core.documents.models import DocumentSequence
from erp_core.documents.printing import xlsx_bytes
from erp_core.documents.services import document_number_next
from erp_core.documents.words import amount_in_words

D = Decimal


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("1.10", "壹元壹角整"),
        ("3.07", "叁元零柒分"),
        ("10", "壹拾元整"),
        ("100", "壹佰元整"),
        ("1001", "壹仟零壹元整"),
        ("1010.10", "壹仟零壹拾元壹角整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("10000", "壹万元整"),
        ("10010", "壹万零壹拾元整"),
        ("105000", "壹拾万伍仟元整"),
        ("1000000.01", "壹佰万元零壹分"),
        ("120000000", "壹亿贰仟万元整"),
        ("100000001", "壹亿零壹元整"),
        ("-56.20", "负伍拾陆元贰角整"),
        ("11300.00", "壹万壹仟叁佰元整"),
        ("1.005", "壹元零壹分"),
    ],
)
def test_amount_in_capital_numerals(amount, words):
    assert amount_in_words(D(amount)) == words


@pytest.mark.parametrize("amount", [D("NaN"), D("Infinity"), D("1e16"), 1.5])
def test_amount_in_words_refuses_what_is_not_a_printable_amount(amount):
    with pytest.raises(ValueError):
        amount_in_words(amount)


def test_line_amounts_round_each_step_half_up_to_the_cent():
    amounts = line_amounts(
        quantity=D("3"), unit_price=D("3.335"), discount_percent=D("10"), tax_rate=D("0.13")
    )
    # 3 × 3.335 × 0.9 = 9.0045 → 9.00; VAT 1.17; gross 10.17
    assert (amounts.net, amounts.tax, amounts.gross) == (D("9.00"), D("1.17"), D("10.17"))


def test_totals_are_the_sums_of_the_rounded_lines():
    lines = [
        {"net_amount": D("9.00"), "tax_amount": D("1.17"), "gross_amount": D("10.17")},
        {"net_amount": D("0.01"), "tax_amount": D("0.00"), "gross_amount": D("0.01")},
    ]
    assert totals(lines).gross == D("10.18")


@pytest.mark.django_db
def test_numbers_run_per_kind_and_year():
    with transaction.atomic():
        first = document_number_next(kind="SO", date=dt.date(2026, 3, 1))
        second = document_number_next(kind="SO", date=dt.date(2026, 12, 31))
        other_kind = document_number_next(kind="PO", date=dt.date(2026, 3, 1))
        next_year = document_number_next(kind="SO", date=dt.date(2027, 1, 1))
    assert (first, second) == ("SO-2026-000001", "SO-2026-000002")
    assert other_kind == "PO-2026-000001"
    assert next_year == "SO-2027-000001"


@pytest.mark.django_db
def test_a_rolled_back_save_gives_its_number_back():
    day = dt.date(2026, 5, 5)
    with pytest.raises(RuntimeError), transaction.atomic():
        document_number_next(kind="DN", date=day)
        raise RuntimeError("the save failed")
    with transaction.atomic():
        assert document_number_next(kind="DN", date=day) == "DN-2026-000001"


def test_a_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        document_number_next(kind="SO", date=dt.date(2026, 1, 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_never_share_a_number():
    threads_count = 10
    barrier = threading.Barrier(threads_count)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(document_number_next(kind="CC", date=dt.date(2026, 1, 1)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == [f"CC-2026-{n:06d}" for n in range(1, threads_count + 1)]
    assert DocumentSequence.objects.get(kind="CC", year=2026).next_number == threads_count + 1


def test_conflict_carries_a_code():
    error = Conflict("x", code="invalid_status")
    assert error.status_code == 409 and error.code == "invalid_status"


def test_xlsx_export_writes_decimals_as_numbers():
    content = xlsx_bytes(title="Orders", headers=["No.", "Amount"], rows=[["SO-1", D("12.50")]])
    sheet = load_workbook(BytesIO(content)).active
    assert [cell.value for cell in sheet[2]] == ["SO-1", 12.5]
    assert sheet["A1"].font.bold
