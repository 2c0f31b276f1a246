"""CRM's models, one module per sub-domain."""

from crm.models.access import ModuleAccess
from crm.models.accounts import Account, Contact, Lead, company_key, phone_key
from crm.models.collections import PaymentReceipt, PromiseToPay, Receivable, ReceivableCredit
from crm.models.pipeline import Opportunity, Stage
from crm.models.quotes import Quote, QuoteLine
from crm.models.service import Activity, Ticket
from crm.models.trace import TracedInput, TracedLot, TracedSerial, TracedShipment

__all__ = [
    "Account",
    "Activity",
    "Contact",
    "Lead",
    "ModuleAccess",
    "Opportunity",
    "PaymentReceipt",
    "PromiseToPay",
    "Quote",
    "QuoteLine",
    "Receivable",
    "ReceivableCredit",
    "Stage",
    "Ticket",
    "TracedInput",
    "TracedLot",
    "TracedSerial",
    "TracedShipment",
    "company_key",
    "phone_key",
]
