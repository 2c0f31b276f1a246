"""MES's demo step, after the ERP's production orders: the work orders of the released orders
(``mes.demo_work``), each part of MES adding what it loads."""

from mes.demo_work import work_orders_step


def mes_step() -> dict[str, int]:
    """What each part of MES loads; work orders last, once the machines are there."""
    created: dict[str, int] = {}
    for part in (work_orders_step,):
        for key, count in part().items():
            created[key] = created.get(key, 0) + count
    return created
