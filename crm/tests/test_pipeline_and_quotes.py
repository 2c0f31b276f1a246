"""The pipeline (moves between stages) and quotes: prices, VAT, promise dates, the discount
approval, acceptance into exactly one ERP sales order, and its number on the quote."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import Conflict
from crm.models import Opportunity, Quote
from crm.selectors import pipeline_board, quote_sales_orders, sales_dashboard
from crm.services.pipeline import opportunity_create, opportunity_move
from crm.services.quotes import quote_accept, quote_approve, quote_create, quote_update
from crm.tests.conftest import deliver_all
from erp_core.sales.models import SalesOrder
from integration.models import Event

pytestmark = pytest.mark.django_db


def test_a_move_takes_the_stage_probability_and_a_won_stage_closes_the_deal(account, stages):
    deal = opportunity_create(account=account, name="Deal", amount=Decimal("1000"))
    assert deal.stage == stages["first"] and deal.closed_at is None
    deal = opportunity_move(opportunity=deal, stage=stages["proposal"])
    assert deal.probability == Decimal("50") and deal.weighted_amount == Decimal("500.00")
    deal = opportunity_move(opportunity=deal, stage=stages["won"])
    assert deal.probability == Decimal("100") and deal.closed_at is not None
    deal = opportunity_move(opportunity=deal, stage=stages["first"])
    assert deal.closed_at is None


def test_the_board_and_dashboard_sum_the_deals_the_user_sees(account, stages, seller, other_seller):
    opportunity_create(account=account, name="A", amount=Decimal("1000"), owner=seller)
    won = opportunity_create(account=account, name="B", amount=Decimal("500"), owner=seller)
    opportunity_move(opportunity=won, stage=stages["won"])
    lost = opportunity_create(account=account, name="C", amount=Decimal("1"), owner=seller)
    opportunity_move(opportunity=lost, stage=stages["lost"])
    board = {column.stage.pk: column for column in pipeline_board(user=seller)}
    assert [o.name for o in board[stages["first"].pk].cards] == ["A"]
    assert board[stages["first"].pk].weighted == Decimal("100.00")
    dashboard = sales_dashboard(user=seller)
    assert dashboard.weighted_forecast == Decimal("100.00")
    assert dashboard.win_rate == Decimal("50.0")
    assert sum(column.cards.__len__() for column in pipeline_board(user=other_seller)) == 0


def _quote(account, item, **fields):
    return quote_create(
        account=account,
        lines=[{"item": item, "quantity": "10", **fields.pop("line", {})}],
        **fields,
    )


def test_a_quote_is_priced_taxed_and_promised_per_line(account, item):
    quote = _quote(account, item, line={"discount_percent": "5"})
    line = quote.lines.get()
    assert line.unit_price == Decimal("100.00")
    assert line.net_amount == Decimal("950.00") and line.tax_amount == Decimal("123.50")
    assert quote.gross_amount == Decimal("1073.50")
    assert line.promised_date == timezone.localdate() + dt.timedelta(days=10)
    assert line.promise_basis == "lead_time"
    assert quote.number.startswith("QT-") and quote.status == Quote.Status.DRAFT
    assert quote.valid_until == quote.date + dt.timedelta(days=30)


def test_bad_quote_lines_are_refused_and_nothing_written(account, item):
    for line in (
        {"quantity": "0"},
        {"quantity": "1", "discount_percent": "101"},
        {"quantity": "abc"},
        {"quantity": "1", "unit_price": "-1"},
    ):
        with pytest.raises(ValidationError):
            quote_create(account=account, lines=[{"item": item, **line}])
    with pytest.raises(ValidationError):
        quote_create(account=account, lines=[])
    assert Quote.objects.count() == 0


def test_a_discount_above_the_threshold_needs_approval_before_acceptance(
    account, item, manager, seller, warehouse
):
    quote = _quote(account, item, line={"discount_percent": "15"})
    assert quote.status == Quote.Status.AWAITING_APPROVAL
    with pytest.raises(Conflict) as refused:
        quote_accept(quote=quote, actor=seller)
    assert refused.value.code == "approval_required"
    with pytest.raises(Conflict):
        quote_approve(quote=quote, actor=seller)
    quote = quote_approve(quote=quote, actor=manager)
    assert quote.status == Quote.Status.APPROVED
    quote = quote_update(quote=quote, notes="changed")
    assert quote.status == Quote.Status.AWAITING_APPROVAL  # changed: approved again


def test_acceptance_makes_one_erp_order_whose_number_shows_on_the_quote(
    account, item, seller, warehouse, stages
):
    deal = opportunity_create(account=account, name="Deal", amount=Decimal("1000"))
    quote = _quote(account, item, opportunity=deal)
    quote_accept(quote=quote, actor=seller)
    with pytest.raises(Conflict) as refused:
        quote_accept(quote=quote, actor=seller)
    assert refused.value.code == "already_accepted"
    assert Event.objects.filter(topic="crm.quote_accepted").count() == 1
    deliver_all()
    order = SalesOrder.objects.get(crm_quote_id=quote.pk)
    assert order.customer == account.partner
    assert order.promised_date == quote.lines.get().promised_date
    assert quote_sales_orders([Quote.objects.get(pk=quote.pk)])[quote.pk] == order
    deal = Opportunity.objects.get(pk=deal.pk)
    assert deal.stage == stages["won"]  # the confirmed order won the deal


def test_an_expired_quote_or_an_unregistered_customer_is_not_accepted(account, item, seller):
    quote = _quote(
        account,
        item,
        date=timezone.localdate() - dt.timedelta(days=40),
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(Conflict) as refused:
        quote_accept(quote=quote, actor=seller)
    assert refused.value.code == "expired"
    account.partner = None
    account.save()
    quote = _quote(account, item)
    with pytest.raises(Conflict) as refused:
        quote_accept(quote=quote, actor=seller)
    assert refused.value.code == "customer_pending"
    assert not Event.objects.filter(topic="crm.quote_accepted").exists()
