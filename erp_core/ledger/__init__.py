"""The books of the ERP core: fiscal periods, chart of accounts, journal entries, stock ledger.

A Django app of its own (label ``ledger``) inside the ERP core package, so that the ledgers keep
their own migration history next to the master data.
"""
