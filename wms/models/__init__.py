"""WMS models, split by sub-domain and re-exported here."""

from wms.models.access import ModuleAccess
from wms.models.counts import Count, CountLine, CountPlan, CountSerial
from wms.models.inbound import ExpectedReceipt, ExpectedReceiptLine, ReceiptScan
from wms.models.internal import MoveTask, ReplenishmentRule, Transfer, TransferLine
from wms.models.layout import Bin, ItemMeasure, ItemPlacement, WarehouseSetup, Zone
from wms.models.outbound import (
    Allocation,
    OutboundLine,
    OutboundOrder,
    Package,
    PackageContent,
    PickList,
    Shipment,
)
from wms.models.stock import CustomerShelfLife, Lot, Quant, QuantMove, SerialNumber

__all__ = [
    "Allocation",
    "Bin",
    "Count",
    "CountLine",
    "CountPlan",
    "CountSerial",
    "CustomerShelfLife",
    "ExpectedReceipt",
    "ExpectedReceiptLine",
    "ItemMeasure",
    "ItemPlacement",
    "Lot",
    "ModuleAccess",
    "MoveTask",
    "OutboundLine",
    "OutboundOrder",
    "Package",
    "PackageContent",
    "PickList",
    "Quant",
    "QuantMove",
    "ReceiptScan",
    "ReplenishmentRule",
    "SerialNumber",
    "Shipment",
    "Transfer",
    "TransferLine",
    "WarehouseSetup",
    "Zone",
]
