"""Every permission a role names exists, so a typo never silently drops a right."""

import pytest
from django.contrib.auth.models import Group, Permission

from erp_core.registry import role_permissions
from erp_core.roles import ROLE_NAMES
from erp_core.services import roles_sync

pytestmark = pytest.mark.django_db


def test_every_role_permission_exists_and_is_granted():
    roles = role_permissions()
    assert tuple(roles) == ROLE_NAMES
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    missing = {perm for perms in roles.values() for perm in perms} - existing
    assert missing == set()
    counts = roles_sync()
    for name, perms in roles.items():
        assert counts[name] == len(set(perms))
        assert Group.objects.get(name=name).permissions.count() == len(set(perms))
