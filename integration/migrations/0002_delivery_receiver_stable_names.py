"""Deliveries are keyed by the receiver's declared name, as its receipts always were.

Until now a delivery row named its receiver by the function's module and qualified name; rows
still failing or dead under those names are renamed so that their retries and replays find them.
"""

from django.db import migrations

# Function path a delivery was booked under → the receiver's stable name (its receipts' key).
RENAMED = {
    "erp_core.sales.handlers.order_from_quote": "sales.order_from_quote",
    "erp_core.sales.handlers.shipment_to_delivery": "sales.delivery_from_shipment",
    "erp_core.billing.handlers.invoice_shipment": "billing.invoice_from_shipment",
    "erp_core.production.handlers.consume_materials": "erp_core.production.consume_materials",
    "erp_core.production.handlers.report_output": "erp_core.production.report_output",
    "erp_core.purchasing.handlers.book_wms_receipt": "erp_core.purchasing.book_wms_receipt",
}


def rename(apps, schema_editor, mapping=RENAMED) -> None:
    delivery = apps.get_model("integration", "Delivery")
    for old, new in mapping.items():
        delivery.objects.filter(receiver=old).update(receiver=new)


def rename_back(apps, schema_editor) -> None:
    rename(apps, schema_editor, mapping={new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("integration", "0001_initial")]

    operations = [migrations.RunPython(rename, rename_back)]
