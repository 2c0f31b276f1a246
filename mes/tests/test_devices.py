"""Device credentials: issued in the admin with the token shown once, stored only as a digest,
revoked and re-issued."""

import pytest
from django.contrib.messages import get_messages

from mes.models import MachineDevice
from mes.services.devices import device_authenticate, device_issue, device_token_reissue

pytestmark = pytest.mark.django_db


def test_only_a_digest_is_stored_and_a_new_token_retires_the_old(machine):
    device, token = device_issue(name="PLC 7", machines=[machine])
    row = MachineDevice.objects.values().get(pk=device.pk)
    assert token not in str(row)
    assert device_authenticate(token) == device
    assert device_authenticate(token[:-1] + ("x" if token[-1] != "x" else "y")) is None
    assert device_authenticate("Token abc") is None
    new = device_token_reissue(device=device)
    assert device_authenticate(token) is None
    assert device_authenticate(new) == device


def test_a_device_name_is_given_once(machine):
    device_issue(name="PLC 7", machines=[machine])
    with pytest.raises(Exception, match="exists already"):
        device_issue(name="PLC 7", machines=[])
    with pytest.raises(Exception, match="name"):
        device_issue(name="  ", machines=[])


def test_the_admin_issues_a_token_shown_once_and_revokes(admin_client, machine):
    response = admin_client.post(
        "/admin/mes/machinedevice/add/", {"name": "Gateway A"}, follow=True
    )
    assert response.status_code == 200
    texts = [str(m) for m in get_messages(response.wsgi_request)] + [response.content.decode()]
    token = next(word for text in texts for word in text.split() if word.startswith("mdv_"))
    token = token.rstrip("<").split("<")[0]
    device = MachineDevice.objects.get(name="Gateway A")
    assert device_authenticate(token) == device
    listing = admin_client.get("/admin/mes/machinedevice/")
    assert token not in listing.content.decode()
    admin_client.post(
        "/admin/mes/machinedevice/",
        {"action": "revoke", "_selected_action": [device.pk]},
    )
    device.refresh_from_db()
    assert not device.is_active
    assert device_authenticate(token) is None
