"""WMS's demo step. WMS keeps no data of its own yet; when it does (bins, lots and quants of the
opening stock), they load here, after the ERP's stock and documents."""


def wms_step() -> dict[str, int]:
    """Nothing to load yet."""
    return {}
