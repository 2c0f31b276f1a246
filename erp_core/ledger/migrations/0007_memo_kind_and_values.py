"""Memos the system writes are kept as a kind and its values, shown in the reader's language.

Posted entries are immutable, so their triggers are dropped for the length of this migration and
made again at its end (adding a column with a default also rebuilds the table on SQLite, which
would lose them). The memos written before in English or Chinese by the stock ledger, production
costing, reversals, rounding and the demo are read back into their kind and values; any other
memo stays as it was typed.
"""

import re
from importlib import import_module

from django.db import migrations, models

triggers = import_module("erp_core.ledger.migrations.0002_immutable_posted_entries")

REASONS = {
    "Receipt": "receipt",
    "入库": "receipt",
    "Issue": "issue",
    "出库": "issue",
    "Production consumption": "production_consumption",
    "生产领料": "production_consumption",
    "Production output": "production_output",
    "生产入库": "production_output",
    "Shipment": "shipment",
    "发货": "shipment",
    "Adjustment": "adjustment",
    "盘盈盘亏": "adjustment",
    "Transfer": "transfer",
    "调拨": "transfer",
}
_REASON = "|".join(sorted(map(re.escape, REASONS), key=len, reverse=True))
NUMBER = r"-?\d+(?:\.\d+)?"

PATTERNS = [
    (re.compile(rf"^(?P<reason>{_REASON}) (?P<item>\S+) (?P<quantity>{NUMBER})$"), "move"),
    (
        re.compile(
            rf"^(?P<reasons>(?:{_REASON})(?:, (?:{_REASON}))*) (?P<type>\S+) (?P<id>\S+): "
            r"(?P<count>\d+) moves$"
        ),
        "batch",
    ),
    (
        re.compile(r"^Revaluation after backdated move (?P<move>\d+) \((?P<item>\S+)\)$"),
        "stock_revaluation_move",
    ),
    (
        re.compile(r"^Revaluation after backdated moves of (?P<type>\S+) (?P<id>\S+)$"),
        "revaluation",
    ),
    (re.compile(r"^(?P<order>\S+) (?:closed: cost variance|关闭：成本差异)$"), "production_close"),
    (
        re.compile(r"^(?P<order>\S+) (?:operation|工序) (?P<sequence>\d+)(?:: time|：工时)$"),
        "production_time",
    ),
    (re.compile(r"^(?:Reversal of|冲销) (?P<number>\S+)$"), "reversal"),
    (re.compile(r"^(?:Rounding|舍入尾差)$"), "rounding"),
    (re.compile(r"^(?:Paid-in capital received|收到实收资本)$"), "paid_in_capital"),
]

DOCUMENTS = {
    "sales.delivery": ("sales", "Delivery"),
    "purchasing.receipt": ("purchasing", "PurchaseReceipt"),
    "production.order": ("production", "ProductionOrder"),
}


def _document(apps, source_type: str, source_id) -> dict:
    """The source document's number, or its type and id (read in the reader's language when
    shown) when it is no document or cannot be read here."""
    source_id = "" if source_id is None else str(source_id)
    label = DOCUMENTS.get(source_type)
    if label is not None and source_id.isdigit():
        try:
            model = apps.get_model(*label)
        except LookupError:
            model = None
        if model is not None:
            number = model.objects.filter(pk=int(source_id)).values_list("number", flat=True)
            if number and number[0]:
                return {"document": number[0]}
    return {"document": "", "source_type": source_type, "source_id": source_id}


def parse(apps, memo: str) -> tuple[str, dict] | None:
    """The kind and values of an old generated memo, or None for a typed one."""
    for pattern, kind in PATTERNS:
        found = pattern.match(memo.strip())
        if found is None:
            continue
        values = found.groupdict()
        if kind == "move":
            return f"stock_{REASONS[values['reason']]}", {
                "document": "",
                "item": values["item"],
                "quantity": values["quantity"],
            }
        if kind == "batch":
            reasons = sorted({REASONS[name] for name in values["reasons"].split(", ")})
            document = _document(apps, values["type"], values["id"])
            return "stock_batch", {"reasons": reasons, **document, "count": values["count"]}
        if kind == "revaluation":
            return "stock_revaluation", _document(apps, values["type"], values["id"])
        return kind, values
    return None


def map_memos(apps, schema_editor) -> None:
    """Read the old English or Chinese generated memos back into their kinds and values."""
    entry_model = apps.get_model("ledger", "JournalEntry")
    line_model = apps.get_model("ledger", "JournalLine")
    for model in (entry_model, line_model):
        changed = []
        rows = model.objects.exclude(memo="").filter(memo_kind="")
        if model is line_model:
            rows = rows.select_related("entry")
        for row in rows.iterator(chunk_size=2000):
            found = parse(apps, row.memo)
            if found is None:
                continue
            row.memo_kind, row.memo_args = found
            entry = row if model is entry_model else row.entry
            if row.memo_kind.startswith("stock_") and "document" in row.memo_args:
                named = row.memo_args["document"] or row.memo_args.get("source_type")
                if not named and entry.source_type:
                    row.memo_args.update(_document(apps, entry.source_type, entry.source_id))
            row.memo = ""
            changed.append(row)
        model.objects.bulk_update(changed, ["memo", "memo_kind", "memo_args"], batch_size=500)


def drop_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor in triggers.SQL:
        for statement in triggers.SQL[vendor][1]:
            schema_editor.execute(statement)


def create_triggers(apps, schema_editor) -> None:
    drop_triggers(apps, schema_editor)
    triggers.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0006_document_date_window_and_output_tolerance"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers, elidable=False),
        migrations.AddField(
            model_name="journalentry",
            name="memo_args",
            field=models.JSONField(blank=True, default=dict, verbose_name="memo values"),
        ),
        migrations.AddField(
            model_name="journalentry",
            name="memo_kind",
            field=models.CharField(
                blank=True,
                help_text="Set when the system wrote the memo: shown from its values in every "
                "language.",
                max_length=40,
                verbose_name="memo kind",
            ),
        ),
        migrations.AddField(
            model_name="journalline",
            name="memo_args",
            field=models.JSONField(blank=True, default=dict, verbose_name="memo values"),
        ),
        migrations.AddField(
            model_name="journalline",
            name="memo_kind",
            field=models.CharField(blank=True, max_length=40, verbose_name="memo kind"),
        ),
        migrations.RunPython(map_memos, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
