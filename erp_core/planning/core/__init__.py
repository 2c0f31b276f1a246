"""The planning core: MRP and lead-time offsetting over plain dataclasses, with no ORM inside,
so they can be tested and benchmarked alone (``erp_core.planning.services`` loads and saves)."""
