"""A company may start with the ERP alone: front modules switched off leave a working ERP, and
each front module brings its own roles' permissions, menu card, home-page counts and demo step,
which come and go with it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRONT_MODULES = ("mes", "wms", "crm")

SCRIPT = """
import django
django.setup()
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from erp_core.demo import demo_load
from erp_core.models import User
from erp_core.navigation import modules_for
from erp_core.services import roles_sync
assert not apps.is_installed("crm") and not apps.is_installed("wms"), "modules still installed"
assert apps.is_installed("mes") and apps.is_installed("erp_core")
print("roles", roles_sync())
granted = {
    f"{p.content_type.app_label}.{p.codename}"
    for group in Group.objects.all() for p in group.permissions.select_related("content_type")
}
assert "mes.access_mes" in granted and not {"crm.access_crm", "wms.access_wms"} & granted, granted
admin = User.objects.create_user(username="boss")
admin.groups.add(Group.objects.get(name="Admin"))
assert [m.key for m in modules_for(admin)] == ["erp", "finance", "mes", "integration"]
print("demo", demo_load())
client = Client(HTTP_HOST="localhost")
assert client.get("/api/v1/crm/").status_code == 404
assert client.get("/healthz").status_code == 200
client.force_login(admin)
home = client.get("/")
assert home.status_code == 200 and 'id="module-mes"' in home.text
assert 'id="module-wms"' not in home.text and 'id="module-crm"' not in home.text
print("ok")
"""

# What the registries hold once the installed apps are ready, and what each installed front
# module declares itself; printed as JSON.
REGISTRY_SCRIPT = """
import importlib, json
import django
django.setup()
from django.apps import apps
from erp_core import registry

def work(items):
    return sorted([item.module, item.url_name, str(item.label)] for item in items)

declared = {}
for name in ("mes", "wms", "crm"):
    if apps.is_installed(name):
        roles = importlib.import_module(f"{name}.roles").ROLE_PERMISSIONS
        menu = importlib.import_module(f"{name}.menu")
        declared[name] = {
            "roles": {role: sorted(perms) for role, perms in roles.items()},
            "entries": [entry.url_name for entry in menu.ENTRIES],
            "work": work(menu.WORK),
        }
print(json.dumps({
    "roles": {role: sorted(perms) for role, perms in registry.role_permissions().items()},
    "menu": {m.key: [e.url_name for e in m.entries] for m in registry.menu()},
    "work": work(registry.worklist()),
    "demo": [step.name for step in registry.demo_steps()],
    "checks": [f"{check.__module__}.{check.__name__}" for check in registry.reconcile_checks()],
    "declared": declared,
}))
"""


def _env(tmp_path: Path, modules: str) -> dict[str, str]:
    env = {
        **os.environ,
        "ZHONGTAI_MODULES": modules,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'erp-only.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("CELERY_BROKER_URL", None)
    return env


def _registries(tmp_path: Path, modules: tuple[str, ...]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", REGISTRY_SCRIPT], cwd=ROOT, env=_env(tmp_path, ",".join(modules)),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_erp_runs_with_front_modules_switched_off(tmp_path):
    env = _env(tmp_path, "mes")
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")


@pytest.fixture(scope="module")
def all_on(tmp_path_factory) -> dict:
    return _registries(tmp_path_factory.mktemp("all-on"), FRONT_MODULES)


@pytest.mark.parametrize("module", FRONT_MODULES)
def test_a_front_module_brings_its_roles_menu_counts_and_demo_step(tmp_path, all_on, module):
    on, declared = all_on, all_on["declared"][module]
    off = _registries(tmp_path, tuple(m for m in FRONT_MODULES if m != module))
    assert module not in off["declared"]

    # Roles: on, each role holds what the module declares; off, exactly those are gone.
    for role, perms in on["roles"].items():
        own = set(declared["roles"].get(role, ()))
        assert own <= set(perms), role
        assert set(off["roles"][role]) == set(perms) - own, role
        assert not any(perm.startswith(f"{module}.") for perm in off["roles"][role]), role
    assert any(declared["roles"].values())

    # Menu: its card with its entries when on; no card (and the others unchanged) when off.
    assert on["menu"][module] == declared["entries"]
    assert off["menu"] == {key: e for key, e in on["menu"].items() if key != module}

    # Home-page counts: its own when on, none of its card when off, the others unchanged.
    assert [w for w in on["work"] if w[0] == module] == declared["work"]
    assert off["work"] == [w for w in on["work"] if w[0] != module]

    # Demo: its step runs after the ERP's when on, and is gone when off.
    assert module in on["demo"] and on["demo"].index(module) > on["demo"].index("stock")
    assert off["demo"] == [step for step in on["demo"] if step != module]

    # The ERP's reconcile checks do not depend on a front module; a module's own go with it.
    assert off["checks"] == [c for c in on["checks"] if not c.startswith(f"{module}.")]
