"""The product-wide tables, filled by the apps themselves: roles' permissions, the menu, the home
page's counts, the demo's steps and the reconcile checks.

Each app registers what it brings from its ``AppConfig.ready()``, so an app that is not installed
(a front module switched off in ``ZHONGTAI_MODULES``) brings nothing, and adding a module edits
no other app's file. This module only collects: it imports no app, which is what lets the ERP's
own apps be layered (``pyproject.toml``).

Order is explicit, never the accident of ``INSTALLED_APPS``:

- menu cards: erp 10, finance 20, mes 30, wms 40, crm 50, integration 90;
- sections of a card (and their counts on the home page): on the ERP card sales 10,
  purchasing 20, production 30, master data 40, stock 50; on the finance card billing 10,
  general ledger 20;
- demo steps run after the steps they name (``after``), otherwise in registration order;
- reconcile checks run in registration order (the ledger's first: its app comes first);
- panels of a document page (what an app above adds to a page below it: billing's invoices and
  payments on a sales order) by their ``order``;
- stock operators are asked in registration order; the first that claims a warehouse wins;
- production operators likewise, for a production order.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.functional import Promise

from erp_core.roles import ROLE_NAMES


@dataclass(frozen=True)
class Entry:
    """A link in a module's menu, shown to those holding its permission (if it names one)."""

    label: str | Promise
    url_name: str
    permission: str = ""
    group: str | Promise = ""


@dataclass(frozen=True)
class Module:
    """A module of the product as the menu shows it (a card on the home page), behind one
    permission; ``entries`` are filled from the sections registered for its key."""

    key: str
    label: str | Promise
    permission: str
    description: str | Promise
    order: int
    entries: tuple[Entry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class WorkItem:
    """A kind of waiting work counted on the home page: one COUNT query, shown to those holding
    ``permission`` on the card ``module``, linked to the list filtered by ``query``."""

    module: str
    permission: str
    label: str | Promise
    queryset: Callable[[], QuerySet]
    url_name: str
    query: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoStep:
    """A part of the demo data: ``load()`` creates what is missing and returns what it made."""

    name: str
    load: Callable[[], dict[str, int]]
    after: tuple[str, ...] = ()


ReconcileCheck = Callable[[], list]
#: Says whether the physical work of a warehouse (receiving, shipping) is done by a front module:
#: given a warehouse's id, the module's name as users know it ("WMS"), or None.
StockOperator = Callable[[int], "str | Promise | None"]
#: Says whether the shop-floor reports of a production order (consumption, output, time) come
#: from a front module: given the order's id, the module's name as users know it ("MES"), or None.
ProductionOperator = Callable[[int], "str | Promise | None"]


@dataclass(frozen=True)
class Panel:
    """A section an app adds to another app's document page, which may not import it (the
    layers run one way): ``render(request, document)`` returns the section's HTML, or "" to
    show nothing (a user who may not see it, a document it has nothing to say about)."""

    model: str  # "app_label.modelname" of the page's document
    render: Callable[[Any, Any], str]
    order: int = 0


_role_permissions: dict[str, list[str]] = {name: [] for name in ROLE_NAMES}
_modules: dict[str, Module] = {}
_sections: list[tuple[str, int, tuple[Entry, ...]]] = []
_work: list[tuple[int, WorkItem]] = []
_demo_steps: dict[str, DemoStep] = {}
_checks: list[ReconcileCheck] = []
_panels: list[Panel] = []
_stock_operators: list[StockOperator] = []
_production_operators: list[ProductionOperator] = []


# --- roles ------------------------------------------------------------------------------------


def register_role_permissions(role: str, permissions: Iterable[str]) -> None:
    """Grant ``permissions`` ("app_label.codename") to the role group ``role``."""
    if role not in _role_permissions:
        raise ImproperlyConfigured(f"Unknown role {role!r}: the roles are {ROLE_NAMES}.")
    held = _role_permissions[role]
    held.extend(perm for perm in permissions if perm not in held)


def register_roles(table: Mapping[str, Iterable[str]]) -> None:
    """Register an app's table of permissions per role (its ``roles.ROLE_PERMISSIONS``)."""
    for role, permissions in table.items():
        register_role_permissions(role, permissions)


def role_permissions() -> dict[str, tuple[str, ...]]:
    """Every role (even one no installed app grants anything) with the permissions it holds."""
    return {role: tuple(perms) for role, perms in _role_permissions.items()}


# --- menu -------------------------------------------------------------------------------------


def register_module(module: Module) -> None:
    """Add a card to the menu and the home page (the app that owns its permission does)."""
    known = _modules.get(module.key)
    if known is not None and known != module:
        raise ImproperlyConfigured(f"Menu module {module.key!r} is registered twice.")
    _modules[module.key] = module


def register_menu(module: str, entries: Iterable[Entry], *, order: int) -> None:
    """Add a section of links to the card ``module``, placed by ``order`` among its sections."""
    section = (module, order, tuple(entries))
    if section not in _sections:
        _sections.append(section)


def menu() -> tuple[Module, ...]:
    """The registered cards in menu order, each with its sections' entries in order."""
    unknown = {key for key, _order, _entries in _sections} - set(_modules)
    if unknown:
        raise ImproperlyConfigured(f"Menu entries for unregistered modules: {sorted(unknown)}.")
    sections = sorted(_sections, key=lambda section: section[1])
    return tuple(
        replace(
            module,
            entries=tuple(
                entry for key, _order, entries in sections if key == module.key for entry in entries
            ),
        )
        for module in sorted(_modules.values(), key=lambda module: module.order)
    )


# --- home page counts -------------------------------------------------------------------------


def register_worklist(items: Iterable[WorkItem], *, order: int) -> None:
    """Add counts of waiting work, placed by ``order`` (the same as the app's menu section)."""
    for item in items:
        if all(known is not item for _order, known in _work):
            _work.append((order, item))


def worklist() -> tuple[WorkItem, ...]:
    """The registered counts in menu order: by card, then by section."""

    def place(pair: tuple[int, WorkItem]) -> tuple[int, int]:
        order, item = pair
        module = _modules.get(item.module)
        return (module.order if module else 0, order)

    return tuple(item for _order, item in sorted(_work, key=place))


# --- demo data --------------------------------------------------------------------------------


def register_demo_step(
    name: str, load: Callable[[], dict[str, int]], *, after: Iterable[str] = ()
) -> None:
    """Add a demo step that runs after the steps named in ``after``."""
    step = DemoStep(name, load, tuple(after))
    known = _demo_steps.get(name)
    if known is not None and known != step:
        raise ImproperlyConfigured(f"Demo step {name!r} is registered twice.")
    _demo_steps[name] = step


def demo_steps() -> list[DemoStep]:
    """The registered steps, each after those it names; otherwise in registration order."""
    for step in _demo_steps.values():
        missing = set(step.after) - set(_demo_steps)
        if missing:
            raise ImproperlyConfigured(
                f"Demo step {step.name!r} runs after unregistered steps {sorted(missing)}."
            )
    ordered: list[DemoStep] = []
    done: set[str] = set()
    pending = list(_demo_steps.values())
    while pending:
        ready = next((s for s in pending if set(s.after) <= done), None)
        if ready is None:
            names = sorted(s.name for s in pending)
            raise ImproperlyConfigured(f"Demo steps wait for each other in a cycle: {names}.")
        ordered.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    return ordered


# --- reconcile checks -------------------------------------------------------------------------


def register_reconcile_check(*checks: ReconcileCheck) -> None:
    """Add invariant checks to ``manage.py reconcile`` and the finance reconciliation page."""
    _checks.extend(check for check in checks if check not in _checks)


def reconcile_checks() -> list[ReconcileCheck]:
    """Every registered check, in registration order."""
    return list(_checks)


# --- panels of document pages -----------------------------------------------------------------


def register_panel(panel: Panel) -> None:
    """Add a section to the pages of ``panel.model``'s documents."""
    if panel not in _panels:
        _panels.append(panel)


def panels(request, document) -> list[str]:
    """The HTML of the sections registered for ``document``'s model, in order (empty ones
    left out)."""
    label = document._meta.label_lower
    found = sorted((p for p in _panels if p.model == label), key=lambda panel: panel.order)
    return [html for html in (panel.render(request, document) for panel in found) if html]


# --- stock operators --------------------------------------------------------------------------


def register_stock_operator(operator: StockOperator) -> None:
    """Add a front module that may run warehouses (WMS): ``operator(warehouse_id)`` answers
    with the module's name when it does the physical work of that warehouse, else None.

    For such a warehouse the ERP's own receive and ship steps refuse and say who does the work;
    the ERP document waits for the module's event, which books it. With no operator registered
    (the module switched off) the ERP receives and ships itself.
    """
    if operator not in _stock_operators:
        _stock_operators.append(operator)


def unregister_stock_operator(operator: StockOperator) -> None:
    """Forget an operator (tests that switch one on for a while)."""
    if operator in _stock_operators:
        _stock_operators.remove(operator)


def stock_operator(warehouse_id: int | None) -> str | Promise | None:
    """The name of the module that does the physical work of the warehouse, or None when the
    ERP does it itself."""
    if warehouse_id is None:
        return None
    for operator in _stock_operators:
        name = operator(warehouse_id)
        if name:
            return name
    return None


# --- production operators ---------------------------------------------------------------------


def register_production_operator(operator: ProductionOperator) -> None:
    """Add a front module that may run production orders on the shop floor (MES):
    ``operator(production_order_id)`` answers with the module's name when the order's
    consumption, output and time are reported there, else None.

    For such an order the ERP's own consume, report-output and book-time steps refuse and say
    who reports; the order waits for the module's events, which book them. With no operator
    registered (the module switched off) the ERP takes the reports itself.
    """
    if operator not in _production_operators:
        _production_operators.append(operator)


def unregister_production_operator(operator: ProductionOperator) -> None:
    """Forget an operator (tests that switch one off for a while)."""
    if operator in _production_operators:
        _production_operators.remove(operator)


def production_operator(production_order_id: int | None) -> str | Promise | None:
    """The name of the module that reports the order's shop-floor facts, or None when the ERP
    takes them itself."""
    if production_order_id is None:
        return None
    for operator in _production_operators:
        name = operator(production_order_id)
        if name:
            return name
    return None
