"""Settings come from the environment: the embedded default, and production's secure shape."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A production process starts without the test run's own switches.
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="erp.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG=0" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-value-for-tests-only-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="erp.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_environment_values_are_typed_and_malformed_ones_fail_loudly(monkeypatch):
    monkeypatch.setenv("ZT_FLAG", "off")
    monkeypatch.setenv("ZT_NUMBER", "12")
    monkeypatch.setenv("ZT_LIST", "a.example, b.example,,")
    assert env_bool("ZT_FLAG", True) is False
    assert env_int("ZT_NUMBER", 0) == 12
    assert env_list("ZT_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("ZT_FLAG", "maybe")
    with pytest.raises(ValueError, match="not a boolean"):
        env_bool("ZT_FLAG", True)
    monkeypatch.setenv("ZT_NUMBER", "twelve")
    with pytest.raises(ValueError, match="not an integer"):
        env_int("ZT_NUMBER", 0)


def test_the_embedded_default_is_sqlite_with_eager_celery(settings):
    if os.environ.get("DATABASE_URL") or os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("this run is configured by environment variables, not the embedded default")
    assert settings.DATABASES["default"]["ENGINE"] == "common.db.sqlite3"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
