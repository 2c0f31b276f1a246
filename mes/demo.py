"""MES's demo step. MES keeps no data of its own yet; when it does (machines, work orders from
the released production orders), they load here, after the ERP's production orders."""


def mes_step() -> dict[str, int]:
    """Nothing to load yet."""
    return {}
