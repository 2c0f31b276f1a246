"""Production order services: the only code that changes an order.

Status flow (``ProductionOrder.Status``)::

    planned ─release─▶ released ─consume / output / time─▶ in progress ─▶ done ─close─▶ closed
    planned ─void─▶ voided             released ─unrelease (nothing booked)─▶ planned
    released / in progress ─complete─▶ done    (output reaching the quantity: done as well)

Every service locks the order (``document_lock``), checks its status, does its work and records
the step, in one transaction. Consumption and output go through the stock ledger
(``stock_consume`` / ``stock_output``), whose entries debit and credit work in progress (WIP);
time is posted on the PRD journal; closing clears the order's WIP to the variance account.

``orders`` (create, edit, release, unrelease, void), ``execution`` (consumption, output, time,
completion and the MES events' entry points) and ``costing`` (close: the cost roll-up and the
variance entry) — all re-exported here.
"""

from erp_core.production.services.costing import production_order_close
from erp_core.production.services.execution import (
    OPEN_FOR_REPORTS,
    production_order_book_time,
    production_order_complete,
    production_order_consume,
    production_order_materials_consumed,
    production_order_output_reported,
    production_order_report_output,
    production_order_time_booked,
)
from erp_core.production.services.orders import (
    EDITABLE_FIELDS,
    NUMBER_KIND,
    production_order_create,
    production_order_release,
    production_order_unrelease,
    production_order_update,
    production_order_void,
)

__all__ = [
    "EDITABLE_FIELDS",
    "NUMBER_KIND",
    "OPEN_FOR_REPORTS",
    "production_order_book_time",
    "production_order_close",
    "production_order_complete",
    "production_order_consume",
    "production_order_create",
    "production_order_materials_consumed",
    "production_order_output_reported",
    "production_order_release",
    "production_order_report_output",
    "production_order_time_booked",
    "production_order_unrelease",
    "production_order_update",
    "production_order_void",
]
