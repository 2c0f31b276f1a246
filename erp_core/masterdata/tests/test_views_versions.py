"""The BOM and routing pages: lists, routing detail, create and edit with their rows, a new
version from an old one; a cycle or an overlap is shown on the form and nothing is written."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from common.testing import staff_user
from erp_core.masterdata import services
from erp_core.models import BillOfMaterials, BomLine, Item, Routing
from erp_core.tests.factories import ItemFactory, WorkCenterFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _semi(code: str) -> Item:
    return ItemFactory(code=code, item_type="semi", make_or_buy="make")


def _bom(item: Item, *components: Item, version: str = "1", **fields) -> BillOfMaterials:
    return services.bom_create(
        item=item,
        version=version,
        valid_from=fields.pop("valid_from", date(2025, 1, 1)),
        lines=[{"component": c, "quantity_per": D(n + 1)} for n, c in enumerate(components)],
        **fields,
    )


def _routing(item: Item, *centers, version: str = "1") -> Routing:
    return services.routing_create(
        item=item,
        version=version,
        valid_from=date(2025, 1, 1),
        operations=[
            {"work_center": wc, "setup_minutes": D(30), "run_minutes_per_unit": D("1.5")}
            for wc in centers
        ],
    )


def _rows(prefix: str, rows: list[dict], *, initial: int = 0, extra: int = 1) -> dict:
    """The formset part of a POST: ``rows`` then ``extra`` empty rows."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "500",
    }
    for n, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{n}-{name}"] = value
    return data


def _bom_post(item: Item | None, lines: list[dict], **header) -> dict:
    data = {"version": "1", "valid_from": "2026-01-01", "is_active": "on", **header}
    if item is not None:
        data["item"] = item.pk
    return {**data, **_rows("lines", lines)}


@pytest.fixture
def planner(client):
    user = staff_user("Planner")
    client.force_login(user)
    return user


@pytest.fixture
def tree() -> dict:
    """FG made of FRAME (made of STEEL) and BOLT; a routing of FG on two work centers."""
    steel, bolt, frame, fg = (
        ItemFactory(code="STEEL"),
        ItemFactory(code="BOLT"),
        _semi("FRAME"),
        (_semi("FG")),
    )
    cut, weld = WorkCenterFactory(code="WC-CUT"), WorkCenterFactory(code="WC-WELD")
    return {
        "steel": steel,
        "bolt": bolt,
        "frame": frame,
        "fg": fg,
        "frame_bom": _bom(frame, steel),
        "fg_bom": _bom(fg, frame, bolt),
        "routing": _routing(fg, cut, weld),
        "cut": cut,
        "weld": weld,
    }


PAGES = [
    ("erp_core:bom-list", None, "Planner", "Sales"),
    ("erp_core:bom-detail", "fg_bom", "Finance", "Sales"),
    ("erp_core:bom-create", None, "Planner", "Finance"),
    ("erp_core:bom-edit", "fg_bom", "Planner", "Finance"),
    ("erp_core:bom-new-version", "fg_bom", "Planner", "Finance"),
    ("erp_core:routing-list", None, "Finance", "Sales"),
    ("erp_core:routing-detail", "routing", "Planner", "Warehouse"),
    ("erp_core:routing-create", None, "Planner", "Finance"),
    ("erp_core:routing-edit", "routing", "Planner", "Finance"),
    ("erp_core:routing-new-version", "routing", "Planner", "Finance"),
]


def _url(name: str, key: str | None, tree: dict) -> str:
    return reverse(name, args=[tree[key].pk] if key else [])


@pytest.mark.parametrize(("name", "key", "allowed", "refused"), PAGES)
def test_page_renders_for_its_role(client, tree, name, key, allowed, refused):
    client.force_login(staff_user(allowed))
    assert client.get(_url(name, key, tree)).status_code == 200, name


@pytest.mark.parametrize(("name", "key", "allowed", "refused"), PAGES)
def test_page_is_refused_to_another_role(client, tree, name, key, allowed, refused):
    client.force_login(staff_user(refused))
    assert client.get(_url(name, key, tree)).status_code == 403, name
    if not name.endswith(("-list", "-detail")):
        before = BillOfMaterials.objects.count(), Routing.objects.count()
        assert client.post(_url(name, key, tree), {"version": "9"}).status_code == 403
        assert (BillOfMaterials.objects.count(), Routing.objects.count()) == before


# --- BOMs --------------------------------------------------------------------------------------


def test_bom_create_saves_the_header_and_its_lines(client, planner, tree):
    assembly = _semi("ASM")
    page = client.get(reverse("erp_core:bom-create"), {"item": assembly.pk})
    assert page.context["form"].initial["item"] == assembly
    data = _bom_post(
        assembly,
        [
            {"component": tree["steel"].pk, "quantity_per": "2.5", "scrap_percent": "4"},
            {"component": tree["bolt"].pk, "quantity_per": "8", "is_phantom": ""},
        ],
    )
    response = client.post(reverse("erp_core:bom-create"), data)
    bom = BillOfMaterials.objects.get(item=assembly)
    assert response.status_code == 302
    assert response["Location"] == reverse("erp_core:bom-detail", args=[bom.pk])
    assert [(ln.sequence, ln.component.code, ln.quantity_per) for ln in bom.lines.all()] == [
        (10, "STEEL", D("2.5")),
        (20, "BOLT", D(8)),
    ]
    assert bom.lines.get(sequence=10).scrap_percent == D(4)
    assert bom.history.get().history_user == planner


def test_bom_that_makes_a_cycle_shows_its_path_and_writes_nothing(client, planner, tree):
    # STEEL would contain FG, which contains FRAME, which contains STEEL.
    steel = tree["steel"]
    Item.objects.filter(pk=steel.pk).update(item_type="semi", make_or_buy="make")
    before = BillOfMaterials.objects.count(), BomLine.objects.count()
    response = client.post(
        reverse("erp_core:bom-create"),
        _bom_post(steel, [{"component": tree["fg"].pk, "quantity_per": "1"}]),
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == ["This BOM makes a cycle: STEEL → FG → FRAME → STEEL."]
    assert "STEEL → FG → FRAME → STEEL" in response.text
    assert (BillOfMaterials.objects.count(), BomLine.objects.count()) == before


def test_bom_with_a_bad_line_or_no_line_shows_the_errors_and_writes_nothing(client, planner, tree):
    assembly = _semi("ASM")
    response = client.post(
        reverse("erp_core:bom-create"),
        _bom_post(assembly, [{"component": tree["steel"].pk, "quantity_per": "0"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"].errors[0]["quantity_per"]
    empty = client.post(reverse("erp_core:bom-create"), _bom_post(assembly, []))
    assert empty.status_code == 200
    assert empty.context["formset"].non_form_errors()
    assert not BillOfMaterials.objects.filter(item=assembly).exists()


def test_bom_with_a_component_equal_to_its_parent_is_refused(client, planner):
    assembly = _semi("ASM")
    response = client.post(
        reverse("erp_core:bom-create"),
        _bom_post(assembly, [{"component": assembly.pk, "quantity_per": "1"}]),
    )
    assert response.status_code == 200
    assert "ASM cannot be a component of itself." in response.text
    assert not assembly.boms.exists()


def _edit_data(bom: BillOfMaterials, lines: list[dict], **header) -> dict:
    data = {
        "version": bom.version,
        "valid_from": bom.valid_from.isoformat(),
        "valid_to": bom.valid_to.isoformat() if bom.valid_to else "",
        "is_active": "on" if bom.is_active else "",
        **header,
    }
    return {**data, **_rows("lines", lines, initial=bom.lines.count())}


def _saved_lines(bom: BillOfMaterials) -> list[dict]:
    return [
        {
            "sequence": str(line.sequence),
            "component": line.component_id,
            "quantity_per": str(line.quantity_per),
            "scrap_percent": str(line.scrap_percent),
        }
        for line in bom.lines.all()
    ]


def test_bom_edit_replaces_the_lines_when_they_changed(client, planner, tree):
    bom = tree["fg_bom"]
    url = reverse("erp_core:bom-edit", args=[bom.pk])
    page = client.get(url)
    assert [f.initial["component"] for f in page.context["formset"].initial_forms] == [
        tree["frame"],
        tree["bolt"],
    ]
    lines = _saved_lines(bom)
    lines[1]["DELETE"] = "on"  # drop the bolts
    lines.append({"component": tree["steel"].pk, "quantity_per": "0.5", "sequence": "30"})
    response = client.post(url, _edit_data(bom, lines))
    assert response.status_code == 302
    assert [(ln.sequence, ln.component.code) for ln in bom.lines.all()] == [
        (10, "FRAME"),
        (30, "STEEL"),
    ]


def test_bom_edit_of_the_header_only_keeps_the_lines(client, planner, tree):
    bom = tree["fg_bom"]
    line_ids = set(bom.lines.values_list("pk", flat=True))
    url = reverse("erp_core:bom-edit", args=[bom.pk])
    unchanged = client.post(url, _edit_data(bom, _saved_lines(bom)), follow=True)
    assert "Nothing was changed." in unchanged.text
    response = client.post(url, _edit_data(bom, _saved_lines(bom), valid_to="2026-12-31"))
    assert response.status_code == 302
    bom.refresh_from_db()
    assert bom.valid_to == date(2026, 12, 31)
    assert set(bom.lines.values_list("pk", flat=True)) == line_ids


def test_an_inactive_component_is_kept_on_edit_but_not_offered_for_new_boms(client, planner, tree):
    bom = tree["frame_bom"]
    Item.objects.filter(pk=tree["steel"].pk).update(is_active=False)
    new_page = client.get(reverse("erp_core:bom-create"))
    offered = new_page.context["formset"].forms[0].fields["component"].queryset
    assert tree["steel"] not in offered
    response = client.post(
        reverse("erp_core:bom-edit", args=[bom.pk]),
        _edit_data(bom, _saved_lines(bom), valid_to="2026-12-31"),
    )
    assert response.status_code == 302
    bom.refresh_from_db()
    assert bom.valid_to == date(2026, 12, 31)


def test_bom_edit_refused_by_the_service_changes_nothing(client, planner, tree):
    bom = tree["frame_bom"]
    lines = _saved_lines(bom)
    lines.append({"component": tree["fg"].pk, "quantity_per": "1", "sequence": "20"})
    response = client.post(reverse("erp_core:bom-edit", args=[bom.pk]), _edit_data(bom, lines))
    assert response.status_code == 200
    assert "This BOM makes a cycle" in response.text
    assert [line.component.code for line in bom.lines.all()] == ["STEEL"]


def test_new_version_copies_the_lines_and_refuses_an_overlap(client, planner, tree):
    old = tree["fg_bom"]
    url = reverse("erp_core:bom-new-version", args=[old.pk])
    page = client.get(url)
    assert page.context["form"].initial["version"] == "2"
    assert len(page.context["formset"].initial) == 2
    lines = _saved_lines(old)
    data = _bom_post(tree["fg"], lines, version="2", valid_from="2026-06-01")
    data["lines-INITIAL_FORMS"] = "2"
    overlap = client.post(url, data)
    assert overlap.status_code == 200
    assert "valid_from" in overlap.context["form"].errors
    assert tree["fg"].boms.count() == 1

    services.bom_update(bom=old, valid_to=date(2026, 5, 31))
    response = client.post(url, data)
    new = BillOfMaterials.objects.get(item=tree["fg"], version="2")
    assert response["Location"] == reverse("erp_core:bom-detail", args=[new.pk])
    assert [line.component.code for line in new.lines.all()] == ["FRAME", "BOLT"]
    old.refresh_from_db()
    assert old.lines.count() == 2


def test_bom_detail_offers_edit_and_new_version_to_the_planner_only(client, tree):
    url = reverse("erp_core:bom-detail", args=[tree["fg_bom"].pk])
    client.force_login(staff_user("Planner"))
    assert 'data-testid="new-version"' in client.get(url).text
    client.force_login(staff_user("Finance"))
    text = client.get(url).text
    assert 'data-testid="new-version"' not in text and 'data-testid="edit-version"' not in text


def test_bom_list_searches_and_filters_by_status(client, planner, tree):
    services.bom_update(bom=tree["frame_bom"], is_active=False)
    url = reverse("erp_core:bom-list")
    assert [b.item.code for b in client.get(url, {"q": "fram"}).context["page_obj"]] == ["FRAME"]
    active = client.get(url, {"active": "yes"}).context["page_obj"]
    assert [(b.item.code, b.line_count) for b in active] == [("FG", 2)]


# --- Routings ----------------------------------------------------------------------------------


def _routing_post(item: Item | None, operations: list[dict], **header) -> dict:
    data = {"version": "1", "valid_from": "2026-01-01", "is_active": "on", **header}
    if item is not None:
        data["item"] = item.pk
    return {**data, **_rows("operations", operations)}


def test_routing_create_saves_the_operations(client, planner, tree):
    response = client.post(
        reverse("erp_core:routing-create"),
        _routing_post(
            tree["frame"],
            [
                {
                    "work_center": tree["cut"].pk,
                    "description": "Cut",
                    "setup_minutes": "15",
                    "run_minutes_per_unit": "2",
                },
                {"work_center": tree["weld"].pk, "run_minutes_per_unit": "4.5"},
            ],
        ),
    )
    routing = Routing.objects.get(item=tree["frame"])
    assert response["Location"] == reverse("erp_core:routing-detail", args=[routing.pk])
    assert [(op.sequence, op.work_center.code) for op in routing.operations.all()] == [
        (10, "WC-CUT"),
        (20, "WC-WELD"),
    ]
    detail = client.get(response["Location"])
    assert detail.context["setup_total"] == D(15)
    assert detail.context["run_total"] == D("6.5")


def test_routing_with_a_repeated_sequence_is_refused_and_nothing_written(client, planner, tree):
    response = client.post(
        reverse("erp_core:routing-create"),
        _routing_post(
            tree["frame"],
            [
                {"work_center": tree["cut"].pk, "sequence": "10"},
                {"work_center": tree["weld"].pk, "sequence": "10"},
            ],
        ),
    )
    assert response.status_code == 200
    assert "sequence 10 is used twice" in response.text
    assert not Routing.objects.filter(item=tree["frame"]).exists()


def test_routing_edit_and_new_version(client, planner, tree):
    routing = tree["routing"]
    operations = [
        {
            "sequence": str(op.sequence),
            "work_center": op.work_center_id,
            "setup_minutes": str(op.setup_minutes),
            "run_minutes_per_unit": str(op.run_minutes_per_unit),
        }
        for op in routing.operations.all()
    ]
    operations[0]["run_minutes_per_unit"] = "3"
    data = {
        "version": "1",
        "valid_from": "2025-01-01",
        "valid_to": "2026-05-31",
        "is_active": "on",
        **_rows("operations", operations, initial=2),
    }
    response = client.post(reverse("erp_core:routing-edit", args=[routing.pk]), data)
    assert response.status_code == 302
    assert routing.operations.get(sequence=10).run_minutes_per_unit == D(3)

    new = client.post(
        reverse("erp_core:routing-new-version", args=[routing.pk]),
        {
            **_routing_post(tree["fg"], operations, version="2", valid_from="2026-06-01"),
            "operations-INITIAL_FORMS": "2",  # the copied rows, as the page renders them
        },
    )
    assert new.status_code == 302
    assert tree["fg"].routings.count() == 2


def test_routing_list_counts_operations(client, planner, tree):
    response = client.get(reverse("erp_core:routing-list"))
    assert [(r.item.code, r.operation_count) for r in response.context["page_obj"]] == [("FG", 2)]


@pytest.mark.parametrize("name", ["erp_core:bom-list", "erp_core:routing-list"])
def test_version_lists_read_a_page_in_a_bounded_number_of_queries(
    client, planner, django_assert_max_num_queries, name
):
    part, center = ItemFactory(code="PART"), WorkCenterFactory()
    for n in range(30):
        item = _semi(f"S{n:02d}")
        _bom(item, part)
        _routing(item, center)
    # session, user, 2 × permissions, count, page (with the row counts): none per row
    with django_assert_max_num_queries(7):
        response = client.get(reverse(name))
    assert len(response.context["page_obj"]) == 25
