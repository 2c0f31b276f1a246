"""The pure BOM functions (erp_core.masterdata.bom): explosion, where-used, cycles. No database."""

from datetime import date
from decimal import Decimal

import pytest

from erp_core.masterdata.bom import (
    BomCycleError,
    BomVersion,
    GraphLine,
    explode,
    find_cycle,
    where_used,
)
from erp_core.masterdata.mnemonic import pinyin_initials

D = Decimal
DAY = date(2026, 3, 1)
FG, A, B, C, D_, E, F = 1, 2, 3, 4, 5, 6, 7


def _version(bom_id, *lines, valid_from=date(2025, 1, 1), valid_to=None) -> BomVersion:
    return BomVersion(bom_id=bom_id, valid_from=valid_from, valid_to=valid_to, lines=tuple(lines))


def _line(component, qty, scrap="0", phantom=False, seq=10) -> GraphLine:
    return GraphLine(
        component_id=component,
        quantity_per=D(qty),
        scrap_percent=D(scrap),
        is_phantom=phantom,
        sequence=seq,
    )


@pytest.fixture
def graph():
    """FG ← A (semi, 2 +10 %) ← F (semi, 1.5) ← E (raw, 2 +20 %); A ← D (4 +5 %);
    FG ← B (phantom kit: C 2, D 1 +10 %); FG ← C (3)."""
    return {
        FG: [
            _version(
                100,
                _line(A, "2", "10", seq=10),
                _line(B, "1", phantom=True, seq=20),
                _line(C, "3", seq=30),
            )
        ],
        A: [_version(200, _line(F, "1.5", seq=10), _line(D_, "4", "5", seq=20))],
        F: [_version(300, _line(E, "2", "20"))],
        B: [_version(400, _line(C, "2", seq=10), _line(D_, "1", "10", seq=20))],
    }


def test_three_level_explosion_with_scrap_and_a_phantom_matches_the_hand_computation(graph):
    result = explode(graph, FG, D(10), DAY)
    rows = [
        (ln.level, ln.parent_id, ln.component_id, ln.quantity, ln.is_leaf) for ln in result.lines
    ]
    assert rows == [
        (1, FG, A, D("22"), False),  # 10 × 2 × 1.10
        (2, A, F, D("33"), False),  # 22 × 1.5
        (3, F, E, D("79.2"), True),  # 33 × 2 × 1.20
        (2, A, D_, D("92.4"), True),  # 22 × 4 × 1.05
        (1, B, C, D("20"), True),  # phantom B (10 × 1) replaced by its lines: 10 × 2
        (1, B, D_, D("11"), True),  # 10 × 1 × 1.10
        (1, FG, C, D("30"), True),  # 10 × 3
    ]
    assert result.requirements == {C: D("50"), D_: D("103.4"), E: D("79.2")}
    through_phantom = [ln for ln in result.lines if ln.via_phantom == B]
    assert {ln.component_id for ln in through_phantom} == {C, D_}
    assert all(ln.component_id != B for ln in result.lines), "the phantom itself is not listed"


def test_explosion_paths_run_from_the_top_item(graph):
    result = explode(graph, FG, D(1), DAY)
    e_line = next(ln for ln in result.lines if ln.component_id == E)
    assert e_line.path == (FG, A, F, E)


def test_a_phantom_without_its_own_bom_is_a_plain_leaf():
    graph = {FG: [_version(1, _line(B, "3", phantom=True))]}
    result = explode(graph, FG, D(2), DAY)
    assert result.requirements == {B: D(6)}


def test_scrap_rounds_half_up_to_six_places():
    graph = {FG: [_version(1, _line(C, "0.333333", "3.333333"))]}
    # 1 × 0.333333 × 1.03333333 = 0.344444 (0.34444399…)
    assert explode(graph, FG, D(1), DAY).requirements[C] == D("0.344444")


def test_the_version_valid_on_the_date_is_used():
    graph = {
        FG: [
            _version(1, _line(C, "1"), valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31)),
            _version(2, _line(D_, "1"), valid_from=date(2026, 1, 1)),
        ]
    }
    assert explode(graph, FG, D(1), date(2025, 6, 1)).requirements == {C: D(1)}
    assert explode(graph, FG, D(1), date(2026, 6, 1)).requirements == {D_: D(1)}
    assert explode(graph, FG, D(1), date(2024, 6, 1)).requirements == {}


def test_an_item_without_a_bom_explodes_to_nothing():
    result = explode({}, FG, D(5), DAY)
    assert result.lines == []
    assert result.requirements == {}


def test_a_cycle_in_the_graph_stops_the_explosion_with_its_path():
    graph = {A: [_version(1, _line(B, "1"))], B: [_version(2, _line(A, "1"))]}
    with pytest.raises(BomCycleError) as error:
        explode(graph, A, D(1), DAY)
    assert error.value.path == (A, B, A)


def test_where_used_climbs_every_level(graph):
    rows = where_used(graph, E)
    assert [(r.level, r.parent_id, r.component_id) for r in rows] == [
        (1, F, E),
        (2, A, F),
        (3, FG, A),
    ]


def test_where_used_lists_every_parent_of_a_shared_component(graph):
    rows = where_used(graph, D_)
    assert {(r.level, r.parent_id, r.component_id) for r in rows} == {
        (1, A, D_),
        (1, B, D_),
        (2, FG, A),
        (2, FG, B),
    }
    assert where_used(graph, FG) == []


def test_where_used_on_a_date_ignores_versions_not_valid_then():
    graph = {
        FG: [_version(1, _line(C, "1"), valid_to=date(2025, 12, 31))],
        A: [_version(2, _line(C, "1"), valid_from=date(2026, 1, 1))],
    }
    assert {r.parent_id for r in where_used(graph, C)} == {FG, A}
    assert {r.parent_id for r in where_used(graph, C, date(2026, 2, 1))} == {A}


def test_find_cycle_direct_indirect_and_none(graph):
    assert find_cycle(graph) is None
    direct = {A: [_version(1, _line(A, "1"))]}
    assert find_cycle(direct) == (A, A)
    indirect = {
        A: [_version(1, _line(B, "1"))],
        B: [_version(2, _line(C, "1"))],
        C: [_version(3, _line(A, "1"))],
    }
    assert find_cycle(indirect, start=[A]) == (A, B, C, A)


def test_find_cycle_looks_at_every_version_whatever_its_dates():
    graph = {
        A: [_version(1, _line(C, "1")), _version(2, _line(B, "1"), valid_from=date(2030, 1, 1))],
        B: [_version(3, _line(A, "1"))],
    }
    assert find_cycle(graph, start=[A]) == (A, B, A)


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("钢板料", "GBL"),
        ("轴承6204", "ZC6204"),
        ("Q235钢板 3mm", "Q235GB3MM"),
        ("减速机-R80", "JSJR80"),
        ("", ""),
    ],
)
def test_pinyin_initials(name, initials):
    assert pinyin_initials(name) == initials
