"""Receivers of the ERP's own sales topics: a confirmed or cancelled order changes demand, so
the items on its lines (and everything below them) are re-planned by a net-change run."""

from erp_core.planning import services
from integration import topics
from integration.models import Event
from integration.receivers import on


def _replan(event: Event) -> None:
    item_ids = sorted({line["item_id"] for line in event.payload.get("lines", ())})
    if item_ids:
        services.mrp_net_change(item_ids=item_ids)


@on(topics.sales_order_confirmed, name="erp_core.planning.replan_confirmed")
def replan_confirmed(event: Event) -> None:
    """``erp.sales_order_confirmed``: net change over the lines' items."""
    _replan(event)


@on(topics.sales_order_cancelled, name="erp_core.planning.replan_cancelled")
def replan_cancelled(event: Event) -> None:
    """``erp.sales_order_cancelled``: net change over the lines' items."""
    _replan(event)
