"""MES services: the only code that changes MES's rows, one module per part of the shop floor."""
