"""The OpenAPI schema is served, valid, committed without drift; the docs work offline."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import Client

COMMITTED_SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


@pytest.mark.django_db
def test_schema_is_served_and_lists_the_partners_resource():
    """/api/schema/ answers OpenAPI 3 with the partners operations and the error component."""
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]["/api/v1/erp/partners/"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/erp/partners/{id}/"]) == {"get", "put", "patch", "delete"}
    assert "Error" in schema["components"]["schemas"]
    assert "knoxApiToken" in schema["components"]["securitySchemes"]
    create = schema["paths"]["/api/v1/erp/partners/"]["post"]
    assert {"201", "400", "401", "403", "409", "422", "429"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])


@pytest.mark.django_db
def test_docs_use_only_local_static_assets():
    """Swagger UI comes from the sidecar under /static/: the product runs offline, no CDN."""
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls, html
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    assets = [url for url in urls if not url.startswith("/api/")]
    assert assets
    assert all(url.startswith(static) for url in assets), assets
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"https?://", " ".join(urls)), urls


def test_committed_schema_has_not_drifted(tmp_path):
    """docs/openapi.yaml is what the code generates: regenerate it with `manage.py spectacular`."""
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert COMMITTED_SCHEMA.read_text() == generated.read_text(), (
        "docs/openapi.yaml is stale: run `.venv/bin/python manage.py spectacular "
        "--file docs/openapi.yaml --validate --fail-on-warn`"
    )
