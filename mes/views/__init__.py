"""Staff pages of MES, one module per part of the shop floor."""
