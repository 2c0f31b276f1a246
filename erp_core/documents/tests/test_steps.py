"""The staff pages' step kit on its own: a step table with plain services, so each rule of
``run_step`` and ``StepTable.buttons`` is seen without any one document's flow."""

from dataclasses import dataclass, field

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from common.errors import Conflict
from erp_core.documents.views import REQUIRED, Step, StepTable

PERMISSION = "sales.approve_salesorder"


@dataclass
class Paper:
    """A stand-in for a document: a pk, a number, a revision and a status."""

    pk: int = 7
    number: str = "SO-2026-000007"
    revision: int = 3
    status: str = "draft"
    calls: list = field(default_factory=list)

    def __str__(self) -> str:
        return self.number


class User:
    """A user holding exactly the permissions given."""

    def __init__(self, *perms: str) -> None:
        self.perms = set(perms)

    def has_perm(self, perm: str) -> bool:
        return perm in self.perms


def approve(*, order: Paper, actor, expected_revision: int | None) -> Paper:
    if expected_revision is not None and expected_revision != order.revision:
        raise Conflict("This order was changed by someone else.", code="stale")
    order.calls.append(("approve", expected_revision))
    order.status = "approved"
    return order


def void(*, order: Paper, actor, expected_revision: int | None, reason: str) -> Paper:
    if order.status != "draft":
        raise ValidationError("Only a draft can be voided.")
    order.calls.append(("void", reason))
    order.status = "voided"
    return order


TABLE = StepTable(
    argument="order",
    detail="sales:order-detail",
    url="sales:order-{name}",
    steps=(
        Step("approve", approve, PERMISSION, "%(document)s was confirmed.", label="Confirm"),
        Step(
            "void",
            void,
            PERMISSION,
            "%(document)s was voided.",
            label="Void",
            reason=REQUIRED,
            when=lambda order: order.status == "draft",
        ),
        Step("cancel", void, "sales.cancel_salesorder", "%(document)s was cancelled."),
    ),
)


def _post(data: dict, user: User):
    request = RequestFactory().post("/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


def test_a_step_calls_its_service_with_the_revision_and_goes_back_to_the_page():
    paper = Paper()
    request = _post({"revision": "3"}, User(PERMISSION))
    response = TABLE.run(request, paper, "approve")
    assert response.status_code == 302
    assert response.url.endswith("/7/")
    assert paper.calls == [("approve", 3)]
    assert _said(request) == ["SO-2026-000007 was confirmed."]


def test_a_stale_page_is_refused_with_the_services_message_and_nothing_changes():
    paper = Paper()
    request = _post({"revision": "2"}, User(PERMISSION))
    TABLE.run(request, paper, "approve")
    assert paper.calls == [] and paper.status == "draft"
    assert _said(request) == ["This order was changed by someone else."]


def test_a_required_reason_left_empty_is_refused_before_the_service_runs():
    paper = Paper()
    request = _post({"revision": "3", "reason": "  "}, User(PERMISSION))
    TABLE.run(request, paper, "void")
    assert paper.calls == [] and paper.status == "draft"
    assert len(_said(request)) == 1


def test_the_reason_reaches_the_service():
    paper = Paper()
    request = _post({"revision": "3", "reason": "Customer withdrew"}, User(PERMISSION))
    TABLE.run(request, paper, "void")
    assert paper.calls == [("void", "Customer withdrew")]


def test_a_validation_error_of_the_service_is_the_pages_message():
    paper = Paper(status="approved")
    request = _post({"reason": "late"}, User(PERMISSION))
    TABLE.run(request, paper, "void")
    assert paper.calls == []
    assert _said(request) == ["Only a draft can be voided."]


def test_a_user_without_the_steps_permission_gets_403():
    with pytest.raises(PermissionDenied):
        TABLE.run(_post({}, User("sales.view_salesorder")), Paper(), "approve")


def test_an_unknown_step_is_404():
    with pytest.raises(Http404):
        TABLE.run(_post({}, User(PERMISSION)), Paper(), "ship")


def test_buttons_are_the_labelled_steps_the_user_may_take_on_the_document_as_it_stands():
    user = User(PERMISSION, "sales.cancel_salesorder")
    draft = [button.step.name for button in TABLE.buttons(user, Paper())]
    approved = [button.step.name for button in TABLE.buttons(user, Paper(status="approved"))]
    assert draft == ["approve", "void"]  # "cancel" has no label: it is no button
    assert approved == ["approve"]  # "void" is offered on drafts only
    assert TABLE.buttons(User(), Paper()) == []
    assert [b.step.name for b in TABLE.buttons(user, Paper(), hide=["void"])] == ["approve"]


def test_a_button_carries_the_revision_the_page_shows_and_its_steps_url():
    (button, _void) = TABLE.buttons(User(PERMISSION), Paper())
    assert button.revision == 3
    assert button.url.endswith("/7/approve/")
