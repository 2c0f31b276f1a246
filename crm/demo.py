"""CRM's demo step. CRM keeps no data of its own yet; when it does (accounts, opportunities and
quotes of the demo's customers), they load here, after the ERP's sales orders."""


def crm_step() -> dict[str, int]:
    """Nothing to load yet."""
    return {}
