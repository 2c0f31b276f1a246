"""Reads of CRM: lists restricted to what the user may see, a customer's 360 view, the sales
dashboard's figures and a salesperson's day.

Row-level rule: a salesperson sees the accounts they own (and what hangs on them); holding
``crm.view_all_accounts`` (sales managers, admins) shows every account. Leads nobody owns yet
are a shared pool everyone in sales sees.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from crm.models import (
    Account,
    Activity,
    Contact,
    Lead,
    Opportunity,
    PromiseToPay,
    Quote,
    QuoteLine,
    Receivable,
    Stage,
    Ticket,
    TracedInput,
    TracedLot,
    TracedSerial,
    TracedShipment,
)
from crm.services.common import sees_all
from erp_core.models import Item, User
from erp_core.sales.models import SalesOrder
from erp_core.sales.selectors import delivery_list, sales_order_list, sales_orders_for_quotes

ZERO = Decimal("0.00")


def _own(user: User | None, path: str) -> Q:
    """Rows whose account (at ``path``) the user may see: all, or those they own."""
    if sees_all(user):
        return Q()
    return Q(**{f"{path}owner": user})


def account_list(*, user: User | None = None, search: str = "") -> QuerySet[Account]:
    """Accounts the user may see, with their owner and ERP customer, by name."""
    qs = Account.objects.select_related("owner", "partner").filter(_own(user, ""))
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(tax_id__icontains=search) | Q(phone__icontains=search)
        )
    return qs.order_by("name", "pk")


def account_get(*, user: User | None, pk: int) -> Account:
    """One account the user may see (``Account.DoesNotExist`` otherwise)."""
    return account_list(user=user).get(pk=pk)


def contact_list(*, user: User | None = None, search: str = "") -> QuerySet[Contact]:
    """Contacts of the accounts the user may see."""
    qs = Contact.objects.select_related("account").filter(_own(user, "account__"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(account__name__icontains=search))
    return qs.order_by("account__name", "-is_primary", "name")


def lead_list(*, user: User | None = None, status: str = "", search: str = "") -> QuerySet[Lead]:
    """Leads the user owns, plus the unowned pool (all of them with ``view_all_accounts``)."""
    qs = Lead.objects.select_related("owner", "account", "duplicate_of")
    if not sees_all(user):
        qs = qs.filter(Q(owner=user) | Q(owner__isnull=True))
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(company__icontains=search)
            | Q(contact_name__icontains=search)
            | Q(email__icontains=search)
            | Q(phone__icontains=search)
        )
    return qs.order_by("-created_at", "-pk")


def opportunity_list(
    *, user: User | None = None, stage: int | None = None, open_only: bool = False, search=""
) -> QuerySet[Opportunity]:
    """Opportunities on the accounts the user may see (or owned by them)."""
    qs = Opportunity.objects.select_related("account", "stage", "owner")
    if not sees_all(user):
        qs = qs.filter(Q(account__owner=user) | Q(owner=user))
    if stage:
        qs = qs.filter(stage_id=stage)
    if open_only:
        qs = qs.filter(stage__outcome=Stage.Outcome.OPEN)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(account__name__icontains=search))
    return qs.order_by("expected_close", "pk")


def stage_list(*, active_only: bool = True) -> QuerySet[Stage]:
    """The pipeline's stages in order."""
    qs = Stage.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("position")


@dataclass
class BoardColumn:
    """A stage of the kanban board with its cards and sums."""

    stage: Stage
    cards: list[Opportunity] = field(default_factory=list)
    amount: Decimal = ZERO
    weighted: Decimal = ZERO


def pipeline_board(*, user: User | None) -> list[BoardColumn]:
    """The kanban board: each active stage with the user's deals in it (two queries)."""
    columns = {stage.pk: BoardColumn(stage) for stage in stage_list()}
    for opportunity in opportunity_list(user=user).filter(stage__is_active=True):
        column = columns.get(opportunity.stage_id)
        if column is not None:
            column.cards.append(opportunity)
            column.amount += opportunity.amount
            column.weighted += opportunity.weighted_amount
    return list(columns.values())


def quote_list(*, user: User | None = None, status: str = "", search="") -> QuerySet[Quote]:
    """Quotes of the accounts the user may see."""
    qs = Quote.objects.select_related("account", "opportunity", "owner", "contact").filter(
        _own(user, "account__")
    )
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(account__name__icontains=search))
    return qs.order_by("-date", "-pk")


def quote_detail_list(*, user: User | None = None) -> QuerySet[Quote]:
    """Quotes with their lines (and the lines' items and VAT codes)."""
    return quote_list(user=user).prefetch_related(
        Prefetch(
            "lines",
            queryset=QuoteLine.objects.select_related("item", "item__unit", "tax_code").order_by(
                "line_no"
            ),
        )
    )


def quote_sales_orders(quotes) -> dict[int, SalesOrder]:
    """The ERP sales order made from each accepted quote, by quote id (one query)."""
    ids = [q.pk for q in quotes if q.status == Quote.Status.ACCEPTED]
    return sales_orders_for_quotes(ids) if ids else {}


def activity_list(
    *, user: User | None = None, open_only: bool = False, owner: User | None = None
) -> QuerySet[Activity]:
    """Activities on the accounts the user may see, or owned by the user."""
    qs = Activity.objects.select_related("account", "owner", "opportunity")
    if not sees_all(user):
        qs = qs.filter(Q(account__owner=user) | Q(owner=user))
    if owner is not None:
        qs = qs.filter(owner=owner)
    if open_only:
        qs = qs.filter(done_at__isnull=True)
    return qs.order_by(F("due_at").asc(nulls_last=True), "pk")


def my_day(*, user: User, today: dt.date | None = None) -> dict[str, list[Activity]]:
    """A salesperson's day: what is overdue, what is due today, what comes in the next days."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = start + dt.timedelta(days=1)
    week = start + dt.timedelta(days=7)
    rows = list(
        activity_list(user=user, open_only=True, owner=user).filter(
            Q(due_at__lt=week) | Q(due_at__isnull=True)
        )
    )
    return {
        "overdue": [a for a in rows if a.due_at is not None and a.due_at < start],
        "today": [a for a in rows if a.due_at is None or start <= a.due_at < end],
        "upcoming": [a for a in rows if a.due_at is not None and a.due_at >= end],
    }


def ticket_list(
    *, user: User | None = None, status: str = "", overdue: bool = False, search=""
) -> QuerySet[Ticket]:
    """Tickets of the accounts the user may see, SLA due first."""
    qs = Ticket.objects.select_related("account", "owner", "sales_order", "item").filter(
        _own(user, "account__")
    )
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = ticket_overdue(qs)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(subject__icontains=search)
            | Q(lot_or_serial__icontains=search)
        )
    return qs.order_by("sla_due_at", "pk")


def ticket_overdue(qs: QuerySet[Ticket] | None = None) -> QuerySet[Ticket]:
    """Tickets still open past their SLA due time."""
    qs = Ticket.objects.all() if qs is None else qs
    return qs.filter(
        status__in=[Ticket.Status.OPEN, Ticket.Status.IN_PROGRESS], sla_due_at__lt=timezone.now()
    )


@dataclass(frozen=True)
class OverdueRow:
    """A customer's overdue receivables."""

    account: Account | None
    partner_id: int
    partner_name: str
    overdue: Decimal
    open: Decimal
    invoices: int
    stage: int


def overdue_by_customer(*, user: User | None = None, today=None, limit=None) -> list[OverdueRow]:
    """Customers with overdue invoices, most overdue first: the sum overdue and open, the
    number of invoices and the highest dunning stage (two queries)."""
    today = today or timezone.localdate()
    found = (
        Receivable.objects.filter(open_amount__gt=0)
        .values("partner_id", "partner__name")
        .annotate(
            open=Sum("open_amount"),
            overdue=Sum("open_amount", filter=Q(due_date__lt=today)),
            invoices=Count("pk", filter=Q(due_date__lt=today)),
        )
        .filter(overdue__gt=0)
        .order_by("-overdue")
    )
    rows = list(found)
    stages = dict(
        Receivable.objects.filter(open_amount__gt=0, due_date__lt=today)
        .values("partner_id")
        .annotate(top=Max("dunning_stage"))
        .values_list("partner_id", "top")
    )
    accounts = {
        a.partner_id: a
        for a in Account.objects.filter(partner_id__in=[r["partner_id"] for r in rows])
    }
    out = []
    for row in rows:
        account = accounts.get(row["partner_id"])
        if (
            user is not None
            and not sees_all(user)
            and (account is None or account.owner_id != user.pk)
        ):
            continue
        out.append(
            OverdueRow(
                account=account,
                partner_id=row["partner_id"],
                partner_name=row["partner__name"],
                overdue=row["overdue"] or ZERO,
                open=row["open"] or ZERO,
                invoices=row["invoices"],
                stage=stages.get(row["partner_id"], 0),
            )
        )
    return out[:limit] if limit else out


def receivable_list(*, user: User | None = None, partner_id: int | None = None):
    """Open receivables (of one customer when given), oldest due first."""
    qs = Receivable.objects.select_related("partner").filter(open_amount__gt=0)
    if partner_id is not None:
        qs = qs.filter(partner_id=partner_id)
    if not sees_all(user):
        qs = qs.filter(partner__crm_account__owner=user)
    return qs.order_by("due_date", "pk")


@dataclass
class Dashboard:
    """The sales dashboard's figures."""

    stages: list[dict]
    weighted_forecast: Decimal
    pipeline_amount: Decimal
    won: int
    lost: int
    win_rate: Decimal | None
    overdue_activities: int
    top_overdue: list[OverdueRow]


def sales_dashboard(*, user: User | None) -> Dashboard:
    """Pipeline by stage, the weighted forecast, the win rate of closed deals, overdue
    activities and the largest overdue receivables, as the user may see them."""
    weighted = ExpressionWrapper(
        F("amount") * F("probability") / 100,
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )
    by_stage = list(
        opportunity_list(user=user)
        .filter(stage__is_active=True)
        .values("stage_id", "stage__name", "stage__position", "stage__outcome")
        .annotate(count=Count("pk"), total=Sum("amount"), weighted_total=Sum(weighted))
        .order_by("stage__position")
    )
    open_rows = [r for r in by_stage if r["stage__outcome"] == Stage.Outcome.OPEN]
    won = sum(r["count"] for r in by_stage if r["stage__outcome"] == Stage.Outcome.WON)
    lost = sum(r["count"] for r in by_stage if r["stage__outcome"] == Stage.Outcome.LOST)
    rate = None
    if won + lost:
        rate = (Decimal(won * 100) / Decimal(won + lost)).quantize(Decimal("0.1"))
    return Dashboard(
        stages=[
            {
                "name": r["stage__name"],
                "count": r["count"],
                "amount": r["total"] or ZERO,
                "weighted": (r["weighted_total"] or ZERO).quantize(Decimal("0.01")),
            }
            for r in by_stage
        ],
        weighted_forecast=sum(((r["weighted_total"] or ZERO) for r in open_rows), ZERO).quantize(
            Decimal("0.01")
        ),
        pipeline_amount=sum(((r["total"] or ZERO) for r in open_rows), ZERO),
        won=won,
        lost=lost,
        win_rate=rate,
        overdue_activities=activity_list(user=user, open_only=True)
        .filter(due_at__lt=timezone.now())
        .count(),
        top_overdue=overdue_by_customer(user=user, limit=10),
    )


#: What each kind of timeline entry is called on the page.
TIMELINE_KINDS = {
    "opportunity": pgettext_lazy("timeline", "Opportunity"),
    "quote": pgettext_lazy("timeline", "Quote"),
    "accepted": pgettext_lazy("timeline", "Quote accepted"),
    "order": pgettext_lazy("timeline", "Sales order"),
    "delivery": pgettext_lazy("timeline", "Delivery"),
    "ticket": pgettext_lazy("timeline", "Service ticket"),
    "activity": pgettext_lazy("timeline", "Activity"),
    "invoice": pgettext_lazy("timeline", "Invoice"),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One event in a customer's history."""

    when: dt.datetime
    kind: str
    title: str
    detail: str
    url: str = ""

    @property
    def label(self) -> str:
        """The kind, worded in the reader's language."""
        return str(TIMELINE_KINDS.get(self.kind, self.kind))


def _at(day: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(day, dt.datetime):
        return day
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def customer_360(*, user: User | None, account: Account) -> dict:
    """Everything about one customer: deals, quotes, ERP orders with their promised dates,
    deliveries, open invoices and balance, tickets, activities — and one timeline of them."""
    opportunities = list(opportunity_list(user=None).filter(account=account))
    quotes = list(quote_list(user=None).filter(account=account))
    orders_by_quote = quote_sales_orders(quotes)
    orders, deliveries = [], []
    if account.partner_id:
        orders = list(sales_order_list(customer=account.partner_id)[:50])
        deliveries = list(delivery_list(customer=account.partner_id)[:50])
    tickets = list(ticket_list(user=None).filter(account=account))
    activities = list(
        Activity.objects.select_related("owner")
        .filter(account=account)
        .order_by("-created_at")[:100]
    )
    # Only the open ones: a task done says the customer has been told, so the warning ends.
    slipped = list(
        Activity.objects.filter(
            account=account, reason=Activity.Reason.PROMISE_SLIPPED, done_at__isnull=True
        ).order_by("-created_at")
    )
    receivables = list(receivable_list(user=None, partner_id=account.partner_id or 0))
    promises = list(PromiseToPay.objects.filter(account=account).order_by("-promised_date"))
    today = timezone.localdate()
    timeline: list[TimelineEntry] = []
    for o in opportunities:
        timeline.append(TimelineEntry(o.created_at, "opportunity", o.name, str(o.stage)))
    for q in quotes:
        timeline.append(TimelineEntry(_at(q.created_at), "quote", q.number, q.get_status_display()))
        if q.accepted_at:
            order = orders_by_quote.get(q.pk)
            timeline.append(
                TimelineEntry(q.accepted_at, "accepted", q.number, order.number if order else "")
            )
    for so in orders:
        timeline.append(
            TimelineEntry(
                _at(so.date),
                "order",
                so.number,
                str(so.promised_date or ""),
            )
        )
    for d in deliveries:
        timeline.append(TimelineEntry(_at(d.date), "delivery", d.number, d.sales_order.number))
    for t in tickets:
        timeline.append(TimelineEntry(t.opened_at, "ticket", t.number, t.subject))
    for a in activities:
        timeline.append(TimelineEntry(a.created_at, "activity", str(a.title), a.get_kind_display()))
    for r in receivables:
        timeline.append(
            TimelineEntry(r.posted_at, "invoice", f"#{r.invoice_id}", str(r.open_amount))
        )
    timeline.sort(key=lambda e: e.when, reverse=True)
    return {
        "opportunities": opportunities,
        "quotes": quotes,
        "orders_by_quote": orders_by_quote,
        "orders": orders,
        "deliveries": deliveries,
        "tickets": tickets,
        "activities": activities,
        "receivables": receivables,
        "open_balance": sum((r.open_amount for r in receivables), ZERO),
        "overdue_balance": sum((r.open_amount for r in receivables if r.due_date < today), ZERO),
        "promises": promises,
        "slipped": slipped,
        "timeline": timeline[:200],
    }


def promise_list(*, user: User | None = None) -> QuerySet[PromiseToPay]:
    """Promises to pay of the accounts the user may see, soonest first."""
    return (
        PromiseToPay.objects.select_related("account", "receivable")
        .filter(_own(user, "account__"))
        .order_by("promised_date", "pk")
    )


@dataclass
class TraceInput:
    """A material lot that went into a traced lot, and the lot record when the shop floor made
    it too."""

    item: Item
    lot_number: str
    quantity: Decimal
    made: TracedLot | None = None


@dataclass
class LotTrace:
    """Where a ticket's lot (or serial number) came from and where it went: the production order
    that made it, its input lots, and every shipment of it. A serial number shipped without a
    lot is traced on its own (``serial``), through the lot the shop floor made it in."""

    item: Item
    number: str
    lot: TracedLot | None
    inputs: list[TraceInput] = field(default_factory=list)
    shipments: list[TracedShipment] = field(default_factory=list)
    other_customers: list[TracedShipment] = field(default_factory=list)
    serial: str = ""


def ticket_trace(*, ticket: Ticket) -> list[LotTrace]:
    """The trace of the ticket's lot or serial number (of its item, when it names one) through
    the genealogy CRM learned from the shop floor and the warehouse; a constant number of
    queries whatever the number of lots."""
    value = (ticket.lot_or_serial or "").strip()
    if not value:
        return []
    only_item = Q(item_id=ticket.item_id) if ticket.item_id else Q()
    matched = list(
        TracedShipment.objects.filter(only_item, Q(serial=value) | Q(lot_number=value))
        .select_related("customer", "sales_order", "item")
        .order_by("shipped_at", "pk")
    )
    keys: set[tuple[int, str]] = {(s.item_id, s.lot_number) for s in matched if s.lot_number}
    # A serial number's own trace: the units made (the lot they were made in) or shipped alone.
    serial_lots: dict[int, str] = dict(
        TracedSerial.objects.filter(only_item, serial=value).values_list("item_id", "lot__number")
    )
    for s in matched:
        if s.serial == value and not s.lot_number:
            serial_lots.setdefault(s.item_id, "")
    serial_lots = {
        item_id: number
        for item_id, number in serial_lots.items()
        if (item_id, number) not in keys and (item_id, value) not in keys
    }
    numbers = {number for _item, number in keys} | set(serial_lots.values()) - {""}
    lots: dict[tuple[int, str], TracedLot] = {}
    for lot in TracedLot.objects.filter(
        Q(number__in=numbers) | (only_item & Q(number=value))
    ).select_related("item"):
        lots[(lot.item_id, lot.number)] = lot
        if lot.number == value and (not ticket.item_id or lot.item_id == ticket.item_id):
            keys.add((lot.item_id, lot.number))
    numbers |= {number for _item, number in keys}
    inputs: dict[int, list[TracedInput]] = {}
    makers = [lot.work_order_id for key, lot in lots.items() if key in keys]
    makers += [
        lots[(item_id, number)].work_order_id
        for item_id, number in serial_lots.items()
        if (item_id, number) in lots
    ]
    for row in TracedInput.objects.filter(work_order_id__in=makers).select_related("item"):
        inputs.setdefault(row.work_order_id, []).append(row)
    input_numbers = {row.lot_number for rows in inputs.values() for row in rows}
    made_inputs = {
        (lot.item_id, lot.number): lot for lot in TracedLot.objects.filter(number__in=input_numbers)
    }
    shipped: dict[tuple[int, str], list[TracedShipment]] = {}
    for shipment in TracedShipment.objects.filter(lot_number__in=numbers).select_related(
        "customer", "sales_order", "item"
    ):
        shipped.setdefault((shipment.item_id, shipment.lot_number), []).append(shipment)

    def trace(
        item_id: int, number: str, shipments: list[TracedShipment], serial: str = ""
    ) -> LotTrace:
        lot = lots.get((item_id, number))
        rows = inputs.get(lot.work_order_id, []) if lot is not None else []
        return LotTrace(
            item=lot.item if lot is not None else shipments[0].item,
            number=number,
            lot=lot,
            inputs=[
                TraceInput(
                    item=row.item,
                    lot_number=row.lot_number,
                    quantity=row.quantity,
                    made=made_inputs.get((row.item_id, row.lot_number)),
                )
                for row in rows
            ],
            shipments=shipments,
            other_customers=[s for s in shipments if s.customer_id != ticket.account.partner_id],
            serial=serial,
        )

    traces = [
        trace(item_id, number, shipped.get((item_id, number), []))
        for item_id, number in sorted(keys, key=lambda key: (key[1], key[0]))
    ]
    for item_id, number in sorted(serial_lots.items()):
        units = [s for s in matched if s.item_id == item_id and s.serial == value]
        if units or (item_id, number) in lots:
            traces.append(trace(item_id, number, units, serial=value))
    return traces
