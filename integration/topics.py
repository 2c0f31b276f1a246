"""Every topic of the bus, declared once with its payload fields (docs/events.md lists them).

Money and quantities are decimal strings; ids of rows are integers, ids of events UUIDs.
A list of lines declares its lines' fields (a dict of field → kind instead of a kind); payloads
and lines are closed, so a field not declared here is refused by ``publish``.
A topic's payload, and its lines, may only grow with optional fields; anything else is a new
version.
"""

from typing import Any

from integration.contracts import Topic

TOPICS: dict[str, Topic] = {}


def declare(
    name: str,
    *,
    fields: dict[str, Any],
    version: int = 1,
    description: str = "",
) -> Topic:
    """Declare a topic once; a second declaration of the same name is a programming error."""
    if name in TOPICS:
        raise ValueError(f"Topic {name} is declared twice.")
    topic = Topic(name, fields=fields, version=version, description=description)
    TOPICS[name] = topic
    return topic


def get_topic(name: str) -> Topic:
    """Return the declared topic, or raise KeyError naming the unknown topic."""
    try:
        return TOPICS[name]
    except KeyError:
        raise KeyError(f"Unknown topic {name!r}: declare it in integration/topics.py.") from None


# --- CRM --------------------------------------------------------------------------------------
quote_accepted = declare(
    "crm.quote_accepted",
    fields={
        "quote_id": "int",
        "customer_id": "int",
        "requested_date?": "date",
        "lines": {
            "item_id": "int",
            "quantity": "decimal",
            "unit_price?": "decimal",
            "discount_percent?": "decimal",
        },
    },
    description="A customer accepted a quote; the ERP creates the confirmed sales order.",
)

account_opened = declare(
    "crm.account_opened",
    fields={
        "account_id": "int",
        "name": "str",
        "tax_id?": "str",
        "email?": "str",
        "phone?": "str",
    },
    description="Sales opened an account with no ERP customer; the ERP registers the customer.",
)

# --- ERP --------------------------------------------------------------------------------------
sales_order_confirmed = declare(
    "erp.sales_order_confirmed",
    fields={
        "sales_order_id": "int",
        "customer_id": "int",
        "promised_date?": "date",
        "lines": {
            "sales_order_line_id": "int",
            "item_id": "int",
            "quantity": "decimal",
            "promised_date?": "date",
        },
    },
    description="A sales order was confirmed; WMS plans the delivery, CRM updates the deal.",
)
sales_order_cancelled = declare(
    "erp.sales_order_cancelled",
    fields={
        "sales_order_id": "int",
        "customer_id": "int",
        "lines": {"sales_order_line_id": "int", "item_id": "int", "quantity": "decimal"},
    },
    description="A confirmed sales order was cancelled; WMS releases what it reserved for it.",
)
production_order_released = declare(
    "erp.production_order_released",
    fields={
        "production_order_id": "int",
        "item_id": "int",
        "quantity": "decimal",
        "due_date": "date",
    },
    description="A production order was released to the shop floor.",
)
production_order_unreleased = declare(
    "erp.production_order_unreleased",
    fields={"production_order_id": "int", "item_id": "int"},
    description="A release was taken back before anything was booked; MES drops the work order.",
)
schedule_changed = declare(
    "erp.schedule_changed",
    fields={"operations": "list", "slipped_sales_orders?": "list"},
    description="The finite-capacity schedule moved operations; promised dates may have slipped.",
)
customer_registered = declare(
    "erp.customer_registered",
    fields={"partner_id": "int", "crm_account_id": "int"},
    description="The ERP registered the customer partner of a CRM account; CRM binds the two.",
)
purchase_order_placed = declare(
    "erp.purchase_order_placed",
    fields={
        "purchase_order_id": "int",
        "supplier_id": "int",
        "warehouse_id": "int",
        "lines": {
            "purchase_order_line_id": "int",
            "item_id": "int",
            "quantity": "decimal",
            "expected_date?": "date",
        },
    },
    description="A purchase order went to a supplier; WMS expects the receipt.",
)
purchase_order_cancelled = declare(
    "erp.purchase_order_cancelled",
    fields={
        "purchase_order_id": "int",
        "supplier_id": "int",
        "lines": {"purchase_order_line_id": "int", "item_id": "int", "quantity": "decimal"},
    },
    description=(
        "What a placed purchase order no longer brings (unplaced, short-closed or cancelled); "
        "WMS stops expecting it."
    ),
)
shortage_detected = declare(
    "erp.shortage_detected",
    fields={
        "item_id": "int",
        "warehouse_id": "int",
        "quantity": "decimal",
        "needed_by": "date",
        "sales_order_ids?": "list",
        "mrp_run_id?": "int",
    },
    description="Planning found a shortage of an item in a warehouse.",
)
invoice_posted = declare(
    "erp.invoice_posted",
    fields={"invoice_id": "int", "partner_id": "int", "amount": "decimal", "due_date": "date"},
    description="A customer invoice was posted.",
)
payment_received = declare(
    "erp.payment_received",
    fields={"payment_id": "int", "partner_id": "int", "amount": "decimal"},
    description="A customer payment was received.",
)
credit_note_posted = declare(
    "erp.credit_note_posted",
    fields={
        "credit_note_id": "int",
        "invoice_id": "int",
        "partner_id": "int",
        "amount": "decimal",
    },
    description="A customer credit note was posted against one of the customer's invoices.",
)
invoice_unposted = declare(
    "erp.invoice_unposted",
    fields={"invoice_id": "int", "partner_id": "int"},
    description=(
        "The posting of a customer invoice or credit note was taken back (it may be posted "
        "again, with another amount, or voided)."
    ),
)

# --- MES --------------------------------------------------------------------------------------
materials_consumed = declare(
    "mes.materials_consumed",
    fields={
        "work_order_id": "int",
        "production_order_id": "int",
        "lines": {
            "item_id": "int",
            "quantity": "decimal",
            "warehouse_id?": "int",
            # The lot scanned at the line, when the material is tracked by lot.
            "lot_number?": "str",
        },
    },
    description="A work order consumed materials from the line's staging bins.",
)
output_reported = declare(
    "mes.output_reported",
    fields={
        "work_order_id": "int",
        "production_order_id": "int",
        "item_id": "int",
        "quantity": "decimal",
        "scrap_quantity": "decimal",
        "lot_number?": "str",
        # The serial numbers of the good units, one per unit, when the operator gave them.
        "serials?": "list",
    },
    description="A work order reported good output (and scrap).",
)
time_booked = declare(
    "mes.time_booked",
    fields={
        "work_order_id": "int",
        "production_order_id": "int",
        "production_order_operation_id": "int",
        "machine_hours": "decimal",
        "labour_hours": "decimal",
        "machine_id?": "int",
        "started_at?": "datetime",
        "ended_at?": "datetime",
    },
    description="An operation ran on a machine for a while; the ERP books the machine and "
    "labour hours on the production order's operation.",
)
machine_state_changed = declare(
    "mes.machine_state_changed",
    fields={
        "machine_id": "int",
        "work_center_id": "int",
        "state": "str",
        "changed_at": "datetime",
        "reason?": "str",
    },
    description="A machine went up, down, or into setup (reason: why it stopped, when known).",
)

# --- WMS --------------------------------------------------------------------------------------
stock_moved = declare(
    "wms.stock_moved",
    fields={
        "move_id": "int",
        "item_id": "int",
        "quantity": "decimal",
        "reason": "str",
        "from_warehouse_id?": "int",
        "to_warehouse_id?": "int",
        "unit_cost?": "decimal",
        "moved_at": "datetime",
    },
    description="Stock moved in, out or between warehouses.",
)
receipt_completed = declare(
    "wms.receipt_completed",
    fields={
        "receipt_id": "int",
        "purchase_order_id": "int",
        "lines": {"purchase_order_line_id": "int", "quantity": "decimal"},
    },
    description="Goods against a purchase order were received.",
)
shipment_dispatched = declare(
    "wms.shipment_dispatched",
    fields={
        "shipment_id": "int",
        "sales_order_id": "int",
        "lines": {
            "sales_order_line_id": "int",
            "quantity": "decimal",
            # What of the line shipped by lot (and serial number), when WMS tracks it.
            "lots?": {
                "lot_id?": "int",
                "lot_number?": "str",
                "expiry?": "date",
                "serial?": "str",
                "quantity": "decimal",
            },
        },
    },
    description="A shipment left the warehouse.",
)
count_completed = declare(
    "wms.count_completed",
    fields={
        "count_id": "int",
        "warehouse_id": "int",
        # quantity: counted minus booked, signed (a loss is negative).
        "lines": {"item_id": "int", "quantity": "decimal"},
    },
    description="A cycle count was completed with its differences.",
)
