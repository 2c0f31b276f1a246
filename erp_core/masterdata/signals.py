"""Signals master data sends to the apps above it, which it may not import.

``item_standard_cost_changed`` is sent inside ``item_update``'s transaction when an item's
standard cost changes, with ``item`` (saved, at the new cost) and ``old_cost``. The stock
ledger receives it and revalues a standard-cost item's stock on hand at once (a posted entry
through the price-difference account); a refusal there (a closed period) refuses the change.
"""

from django.dispatch import Signal

item_standard_cost_changed = Signal()
