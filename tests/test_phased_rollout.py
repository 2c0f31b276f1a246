"""A company may start with the ERP alone: front modules switched off leave a working ERP."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import django
django.setup()
from django.apps import apps
from django.test import Client
from erp_core.services import roles_sync
assert not apps.is_installed("crm") and not apps.is_installed("wms"), "modules still installed"
assert apps.is_installed("mes") and apps.is_installed("erp_core")
print("roles", roles_sync())
client = Client(HTTP_HOST="localhost")
assert client.get("/api/v1/crm/").status_code == 404
assert client.get("/healthz").status_code == 200
print("ok")
"""


def test_the_erp_runs_with_front_modules_switched_off(tmp_path):
    env = {
        **os.environ,
        "ZHONGTAI_MODULES": "mes",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'erp-only.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("CELERY_BROKER_URL", None)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")
