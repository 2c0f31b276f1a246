"""Staff pages of master data, one module per area: partners, items, the master data behind them
(units, categories, taxes, currencies, warehouses, work centers), bills of materials with
routings, and the options searching selects ask for."""
