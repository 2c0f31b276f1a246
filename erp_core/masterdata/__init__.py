"""Master data: partners, items, units, taxes, currencies, warehouses, work centers, BOMs and
routings (models, services, selectors, api, views, forms, admin). The tables keep the
``erp_core`` app label. ``bom`` and ``mnemonic`` are pure Python (no ORM inside): BOM explosion
and where-used, mnemonic codes.

Services load the input from the database and call these functions, so they can be tested and
benchmarked alone.
"""
