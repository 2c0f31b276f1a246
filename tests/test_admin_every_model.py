"""Every model in the admin: its list, add form, change form and history open, with the demo
data loaded (documents, ledgers and stock included)."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from erp_core.demo import demo_load
from erp_core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_page_opens_with_the_demo_data(client):
    demo_load()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    opened = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        changelist = client.get(reverse(f"{name}_changelist"), {"q": "a"})
        assert changelist.status_code == 200, name
        request = changelist.wsgi_request
        if model_admin.has_add_permission(request):
            assert client.get(reverse(f"{name}_add")).status_code == 200, name
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, name
            try:
                history = reverse(f"{name}_history", args=[obj.pk])
            except NoReverseMatch:
                continue
            assert client.get(history).status_code == 200, name
        opened += 1
    assert opened >= 40
