"""Multi-level BOM explosion, where-used and cycle detection over plain dataclasses.

The graph maps a parent item id to its BOM versions; each version has its validity and lines.
No ORM inside: ``erp_core.masterdata.selectors`` loads the graph and maps ids back to items.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

QUANTITY_QUANTUM = Decimal("0.000001")
HUNDRED = Decimal(100)
MAX_DEPTH = 50


class BomCycleError(ValueError):
    """The structure loops back on itself; ``path`` is the item ids from the start to the repeat."""

    def __init__(self, path: Sequence[int]) -> None:
        self.path = tuple(path)
        super().__init__(" → ".join(str(item_id) for item_id in self.path))


@dataclass(frozen=True)
class GraphLine:
    """A component line of a BOM version."""

    component_id: int
    quantity_per: Decimal
    scrap_percent: Decimal = Decimal(0)
    is_phantom: bool = False
    sequence: int = 10


@dataclass(frozen=True)
class BomVersion:
    """One version of one parent's BOM, valid from ``valid_from`` to ``valid_to`` (inclusive)."""

    bom_id: int
    valid_from: date
    valid_to: date | None = None
    lines: tuple[GraphLine, ...] = ()

    def is_valid_on(self, day: date) -> bool:
        """True when ``day`` falls within the validity."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# parent item id → its (active) BOM versions
BomGraph = Mapping[int, Sequence[BomVersion]]


@dataclass(frozen=True)
class ExplodedLine:
    """One line of an explosion: ``quantity`` of ``component_id`` needed for ``parent_id``.

    ``path`` runs from the exploded item down to the component; ``via_phantom`` names the
    phantom whose BOM the line came through (the phantom itself is not listed).
    """

    level: int
    parent_id: int
    component_id: int
    quantity_per: Decimal
    scrap_percent: Decimal
    quantity: Decimal
    is_leaf: bool
    path: tuple[int, ...]
    via_phantom: int | None = None


@dataclass(frozen=True)
class Explosion:
    """The result of exploding ``quantity`` of ``item_id`` on ``on_date``.

    ``lines`` lists every level depth-first; ``requirements`` sums the leaf components (the
    ones bought or without a BOM valid on the date) over the whole structure.
    """

    item_id: int
    quantity: Decimal
    on_date: date
    lines: list[ExplodedLine] = field(default_factory=list)
    requirements: dict[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class WhereUsedRow:
    """``parent_id`` uses ``component_id`` (``quantity_per`` each); level 1 is a direct parent."""

    level: int
    parent_id: int
    component_id: int
    quantity_per: Decimal
    bom_id: int


def valid_version(graph: BomGraph, item_id: int, on_date: date) -> BomVersion | None:
    """The version of ``item_id``'s BOM valid on ``on_date``: the latest start wins an overlap."""
    candidates = [v for v in graph.get(item_id, ()) if v.is_valid_on(on_date)]
    if not candidates:
        return None
    return max(candidates, key=lambda v: (v.valid_from, v.bom_id))


def line_quantity(quantity: Decimal, line: GraphLine) -> Decimal:
    """quantity × quantity_per × (1 + scrap % / 100), rounded to 6 places (half up)."""
    gross = quantity * line.quantity_per * (1 + line.scrap_percent / HUNDRED)
    return gross.quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)


def explode(graph: BomGraph, item: int, quantity: Decimal, on_date: date) -> Explosion:
    """Explode ``quantity`` of ``item`` through every level of its BOMs valid on ``on_date``.

    Scrap compounds level by level; a phantom line is replaced by its own BOM's lines (at the
    same level); a component without a valid BOM is a leaf. Raises ``BomCycleError``.
    """
    quantity = Decimal(quantity)
    result = Explosion(item_id=item, quantity=quantity, on_date=on_date)
    requirements: dict[int, Decimal] = defaultdict(Decimal)

    def walk(
        parent: int, qty: Decimal, level: int, path: tuple[int, ...], phantom: int | None
    ) -> None:
        if level > MAX_DEPTH:
            raise BomCycleError(path)
        version = valid_version(graph, parent, on_date)
        if version is None:
            return
        for line in sorted(version.lines, key=lambda ln: ln.sequence):
            component = line.component_id
            if component in path:
                raise BomCycleError((*path, component))
            needed = line_quantity(qty, line)
            child_path = (*path, component)
            has_bom = valid_version(graph, component, on_date) is not None
            if line.is_phantom and has_bom:
                # The phantom is never built: its components go straight into the parent.
                walk(component, needed, level, child_path, component)
                continue
            result.lines.append(
                ExplodedLine(
                    level=level,
                    parent_id=parent,
                    component_id=component,
                    quantity_per=line.quantity_per,
                    scrap_percent=line.scrap_percent,
                    quantity=needed,
                    is_leaf=not has_bom,
                    path=child_path,
                    via_phantom=phantom,
                )
            )
            if has_bom:
                walk(component, needed, level + 1, child_path, None)
            else:
                requirements[component] += needed

    walk(item, quantity, 1, (item,), None)
    result.requirements.update(sorted(requirements.items()))
    return result


def where_used(graph: BomGraph, component: int, on_date: date | None = None) -> list[WhereUsedRow]:
    """Every parent that uses ``component``, directly (level 1) or through others, up the tree.

    With ``on_date`` only versions valid that day count; without, every version in the graph.
    Each (parent, component, BOM) edge is listed once, at the lowest level it is reached.
    """
    parents: dict[int, list[tuple[int, GraphLine, int]]] = defaultdict(list)
    for parent, versions in graph.items():
        for version in versions:
            if on_date is not None and not version.is_valid_on(on_date):
                continue
            for line in version.lines:
                parents[line.component_id].append((parent, line, version.bom_id))

    rows: list[WhereUsedRow] = []
    seen_edges: set[tuple[int, int, int]] = set()
    visited = {component}
    frontier = [component]
    level = 1
    while frontier and level <= MAX_DEPTH:
        next_frontier: list[int] = []
        for child in frontier:
            for parent, line, bom_id in parents.get(child, ()):
                edge = (parent, child, bom_id)
                if edge in seen_edges:
                    continue
                seen_edges.add(edge)
                rows.append(
                    WhereUsedRow(
                        level=level,
                        parent_id=parent,
                        component_id=child,
                        quantity_per=line.quantity_per,
                        bom_id=bom_id,
                    )
                )
                if parent not in visited:
                    visited.add(parent)
                    next_frontier.append(parent)
        frontier = next_frontier
        level += 1
    return rows


def find_cycle(graph: BomGraph, start: Iterable[int] | None = None) -> tuple[int, ...] | None:
    """A path that loops (first and last id equal) through the BOMs of the graph, or ``None``.

    Every version counts, whatever its dates: versions may overlap, and a loop that can occur
    on any day makes the structure unusable. ``start`` limits the search to these roots.
    """
    edges: dict[int, set[int]] = defaultdict(set)
    for parent, versions in graph.items():
        for version in versions:
            for line in version.lines:
                edges[parent].add(line.component_id)

    done: set[int] = set()

    def visit(node: int, path: list[int], on_path: set[int]) -> tuple[int, ...] | None:
        for child in sorted(edges.get(node, ())):
            if child in on_path:
                return (*path[path.index(child) :], child)
            if child in done:
                continue
            path.append(child)
            on_path.add(child)
            found = visit(child, path, on_path)
            if found:
                return found
            path.pop()
            on_path.discard(child)
        done.add(node)
        return None

    roots = sorted(start) if start is not None else sorted(edges)
    for root in roots:
        if root in done:
            continue
        found = visit(root, [root], {root})
        if found:
            return found
    return None
