"""What billing adds to the pages of the apps below it (registered by its app): a sales order's
page shows how far it is invoiced and paid, with links to its invoices and payments."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from erp_core.billing import selectors
from erp_core.documents.amounts import totals
from erp_core.registry import Panel
from erp_core.sales.models import SalesOrder


def sales_order_billing(request: HttpRequest, order: SalesOrder) -> str:
    """The order's invoiced, paid and open amounts and the documents behind them; nothing for
    a user who may not see invoices, or for an order never confirmed."""
    if not request.user.has_perm("billing.view_invoice"):
        return ""
    if order.status in (SalesOrder.Status.DRAFT, SalesOrder.Status.VOIDED):
        return ""
    billing = selectors.sales_order_billing(order=order, ordered=totals(order.lines.all()).gross)
    return render_to_string(
        "billing/partials/sales_order_billing.html",
        {"billing": billing, "order": order},
        request=request,
    )


PANELS = (Panel("sales.salesorder", sales_order_billing, order=10),)
