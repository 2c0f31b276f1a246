"""Staff pages of the ERP core, one module per area: partners (and the home page), items, the
master data behind them, and bills of materials with routings."""
