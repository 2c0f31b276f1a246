"""Promised dates that the production schedule moves (the scheduler calls this)."""

import datetime as dt

from django.db import transaction

from erp_core.sales.models import SalesOrderLine


@transaction.atomic
def sales_order_line_promise_move(*, line: SalesOrderLine, promised_date: dt.date) -> None:
    """Move a confirmed line's promised date to when the schedule can now meet it.

    The scheduler keeps the slip (the date before and after) in its own log, and its
    ``erp.schedule_changed`` event tells the salesperson; the line only carries the new date.
    """
    SalesOrderLine.objects.filter(pk=line.pk).update(promised_date=promised_date)
    line.promised_date = promised_date
