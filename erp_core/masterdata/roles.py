"""The permissions of master data that each staff role holds (registered by the ERP core's app).

Everyone who works with documents reads the master data they point to (and so may search the
item and partner pickers of the forms it fills in); planners maintain items, BOMs, routings and
work centers, finance the taxes and currencies, sales the partners. The shop floor reads the
items it issues and reports, and the warehouses it issues them from.
"""

_MODELS = (
    "partner",
    "item",
    "unitofmeasure",
    "unitconversion",
    "itemcategory",
    "taxcode",
    "currency",
    "exchangerate",
    "warehouse",
    "workcenter",
    "billofmaterials",
    "bomline",
    "routing",
    "routingoperation",
    "partneraddress",
    "partnercontact",
)
_READ_ITEMS = (
    "erp_core.view_partner",
    "erp_core.view_item",
    "erp_core.view_unitofmeasure",
    "erp_core.view_unitconversion",
)
_READ_CATALOGUE = (
    *_READ_ITEMS,
    "erp_core.view_itemcategory",
    "erp_core.view_taxcode",
    "erp_core.view_currency",
    "erp_core.view_exchangerate",
    "erp_core.view_warehouse",
)
_READ_ENGINEERING = (
    "erp_core.view_workcenter",
    "erp_core.view_billofmaterials",
    "erp_core.view_bomline",
    "erp_core.view_routing",
    "erp_core.view_routingoperation",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "Sales": (
        *_READ_CATALOGUE,
        "erp_core.add_partner",
        "erp_core.change_partner",
        "erp_core.view_partneraddress",
        "erp_core.add_partneraddress",
        "erp_core.change_partneraddress",
        "erp_core.view_partnercontact",
        "erp_core.add_partnercontact",
        "erp_core.change_partnercontact",
    ),
    "Planner": (
        *_READ_CATALOGUE,
        *_READ_ENGINEERING,
        *(
            f"erp_core.{action}_{model}"
            for model in (
                "item",
                "itemcategory",
                "unitofmeasure",
                "unitconversion",
                "workcenter",
                "billofmaterials",
                "bomline",
                "routing",
                "routingoperation",
            )
            for action in ("add", "change")
        ),
        "erp_core.delete_billofmaterials",
        "erp_core.delete_routing",
    ),
    "Shop floor": (
        "erp_core.view_item",
        "erp_core.view_unitofmeasure",
        "erp_core.view_unitconversion",
        "erp_core.view_warehouse",
    ),
    "Warehouse": (*_READ_ITEMS, "erp_core.view_warehouse"),
    "Finance": (
        *_READ_CATALOGUE,
        *_READ_ENGINEERING,
        "erp_core.change_partner",
        "erp_core.view_partneraddress",
        "erp_core.view_partnercontact",
        *(
            f"erp_core.{action}_{model}"
            for model in ("taxcode", "currency", "exchangerate")
            for action in ("add", "change")
        ),
        "erp_core.change_item",
    ),
    "Admin": tuple(
        f"erp_core.{action}_{model}"
        for model in _MODELS
        for action in ("view", "add", "change", "delete")
    ),
}
