"""The stock ledger: every move of an item in a warehouse with its quantity and value.

A Django app of its own (label ``stock``) inside the ERP core. Its rows are written only by the
services here — which WMS and MES events call through the ERP's receivers — never typed by hand.
Each move is valued by ``erp_core.valuation`` and posts its journal entry in the same
transaction.
"""
