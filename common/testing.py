"""Test helpers shared by every module: users by role, partner users, token clients, and
``APIResourceTests``, the generic checks each REST resource must pass (after NetBox's
``utilities/testing/api.py``).

A resource's API test subclasses ``APIResourceTests`` and describes the resource::

    class TestSalesOrderAPI(APIResourceTests):
        list_url = "/api/v1/erp/sales-orders/"
        model = SalesOrder
        max_queries = 8

        def make_object(self, partner=None): ...
        def valid_create_payload(self): ...
        def invalid_create_payload(self): ...
        def allowed_user(self): return staff_user("Sales")
        def wrong_role_user(self): return staff_user("Shop floor")
        def partner_user_for(self, obj): return partner_user(obj.customer)

and inherits the tests: list (paginated, within a query budget that does not grow with rows),
detail, create (201; 400 with nothing written), the business limits the resource declares in
``limit_checks`` (just inside: 201; just outside: 400, nothing written), wrong role (403),
another partner's object
(404), anonymous (401); bodies nested too deep (400) or too big (413) answer the JSON error
body; a partner user sees exactly the read serializer's declared ``partner_fields`` and none
of ``PARTNER_FORBIDDEN_FIELDS`` (a resource lists the ones it may show in
``partner_allowed_fields``); and filtering by another partner's related ids answers exactly as
filtering by ids that do not exist.

An action's business limits (``POST …/{id}/<verb>/``, a device's batch) are checked with
``assert_action_limit``: just outside refused with a 400 and nothing written, just inside taken.

A document's API test also mixes in ``DocumentFlowTests`` (the API half of the document kit,
``erp_core.documents.api.DocumentViewSet``) and says how to make a draft::

    class TestSalesOrderAPI(DocumentFlowTests, APIResourceTests):
        ...
        def make_draft(self): return make_order(...)
        def flow_user(self): return staff_user("Sales")

and inherits: approve, unapprove, void with a reason, PATCH of a draft, a stale revision (409),
PUT (405), and every refused transition — approve twice, void a voided or approved one,
unapprove a draft, unapprove with something downstream (``make_downstream``) — answering 4xx
and leaving the row exactly as it was.
"""

from collections.abc import Callable, Iterable
from copy import deepcopy
from datetime import timedelta

import django_filters
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from rest_framework.test import APIClient

from common.parsers import MAX_JSON_DEPTH
from erp_core.models import Partner, User
from erp_core.roles import ROLE_NAMES
from erp_core.services import roles_sync
from erp_core.tests.factories import PartnerFactory, UserFactory
from erp_core.tokens import api_token_issue

__all__ = [
    "PARTNER_FORBIDDEN_FIELDS",
    "APIResourceTests",
    "DocumentFlowTests",
    "PartnerFactory",
    "UserFactory",
    "api_client",
    "assert_error_body",
    "date_window_edge",
    "days_from_today",
    "nested_json",
    "oversized_json",
    "partner_user",
    "staff_user",
    "token_for",
]


def staff_user(*roles: str, **fields) -> User:
    """An employee in the given role groups (see ``erp_core.roles.ROLE_NAMES``)."""
    unknown = set(roles) - set(ROLE_NAMES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    if Group.objects.filter(name__in=roles).count() != len(roles):
        roles_sync()  # a transactional test flushed the groups that migrate created
    return UserFactory(roles=list(roles), **fields)


def partner_user(partner: Partner, **fields) -> User:
    """A customer's or supplier's user, bound to ``partner``."""
    return UserFactory(partner=partner, **fields)


def token_for(user: User, *, days: int | None = None) -> str:
    """A fresh plain API token of ``user``."""
    _instance, token = api_token_issue(user=user, days=days, actor=None)
    return token


def api_client(user: User | None = None) -> APIClient:
    """A DRF test client authenticated by an API token (as partners call), or anonymous."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


#: Keys a partner user never sees in an answer, at any depth: who inside the company did what,
#: internal notes, accounting references (journal entries, accounts, the company's bank
#: accounts), costs, and links to internal records.
PARTNER_FORBIDDEN_FIELDS = frozenset(
    {
        "created_by",
        "approved_by",
        "voided_by",
        "acknowledged_by",
        "requested_by",
        "credit_override_by",
        "credit_override_reason",
        "memo",
        "internal_note",
        "notes",
        "void_reason",
        "journal_entry",
        "journal_entry_number",
        "account",
        "account_code",
        "bank_account",
        "bank_account_code",
        "unit_cost",
        "standard_cost",
        "cost",
        "stock_move",
        "credit_limit",
        "crm_quote_id",
        "wms_receipt_id",
        "requisition_line",
        "variance_amount",
    }
)


def days_from_today(days: int) -> Callable[[], str]:
    """A date ``days`` from today as the API takes it, computed when the test runs."""
    return lambda: str(timezone.localdate() + timedelta(days=days))


def date_window_edge(*, outside: bool, past: bool = False) -> Callable[[], str]:
    """The last date the company's document date window takes (``outside``: the first it
    refuses), ahead of today or ``past``; read from the company settings when the test runs,
    as a test's books may widen the window."""

    def edge() -> str:
        # By the app registry: master data's tests use this base and sit below the ledger.
        model = apps.get_model("ledger", "CompanySettings")
        row = model.objects.first()
        window = (
            row.document_date_window_days
            if row is not None
            else model._meta.get_field("document_date_window_days").default
        )
        days = window + (1 if outside else 0)
        return str(timezone.localdate() + timedelta(days=-days if past else days))

    return edge


def nested_json(depth: int) -> str:
    """A JSON body of arrays nested ``depth`` levels deep."""
    return "[" * depth + "]" * depth


def oversized_json() -> str:
    """A JSON object one byte over ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    padding = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - len('{"padding": ""}') + 1
    return '{"padding": "' + "x" * padding + '"}'


def _keys(data: object) -> set[str]:
    """Every key of every object in ``data``, at any depth."""
    if isinstance(data, dict):
        return set(data).union(*(_keys(value) for value in data.values()))
    if isinstance(data, list):
        return set().union(*(_keys(value) for value in data))
    return set()


def _related(obj: Model, path: str) -> Model | None:
    """The object at the end of ``path`` (``sales_order``, ``order__customer``…) from ``obj``."""
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj if isinstance(obj, Model) else None


def _with_value(payload: dict, path: str, value: object) -> dict:
    """``payload`` with ``value`` (called first when callable) at the dotted ``path``."""
    *parents, last = path.split(".")
    node: object = payload
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]  # type: ignore[index]
    target = int(last) if isinstance(node, list) else last
    node[target] = value() if callable(value) else value  # type: ignore[index]
    return payload


def assert_error_body(response, status_code: int, code: str | None = None) -> dict:
    """Assert ``response`` is the uniform JSON error body with this status; return the body."""
    assert response.status_code == status_code, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["status"] == status_code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body


def assert_action_limit(
    client: APIClient,
    url: str,
    *,
    body: object,
    path: str,
    inside: object,
    outside: object,
    state: Callable[[], object],
    accepted: tuple[int, ...] = (200, 201),
    refusal: str = "",
):
    """A business limit of an action (``POST …/{id}/<verb>/``, or a create ``limit_checks``
    cannot describe): ``body`` with ``outside`` at the dotted ``path`` is refused with a 400
    (the JSON error body, saying ``refusal`` when given: which bound refused it) and
    ``state()`` answers the same after as before (nothing written); then with ``inside`` it is
    accepted. Returns the accepting response."""
    before = state()
    response = client.post(url, _with_value(deepcopy(body), path, outside), format="json")
    error = assert_error_body(response, 400)
    assert refusal in str(error), (path, outside, error)
    assert state() == before, (path, outside, "written although refused")
    response = client.post(url, _with_value(deepcopy(body), path, inside), format="json")
    assert response.status_code in accepted, (path, inside, response.content[:500])
    return response


class APIResourceTests:
    """The checks every REST resource passes; subclass it as ``Test<Resource>API``.

    Set ``list_url``, ``model`` and ``max_queries``; override the ``make_object``… methods.
    ``creates = False`` for read-only resources. ``list_rows`` (at least 20) rows are listed
    to prove the query count does not grow with the rows.
    """

    list_url: str = ""
    model: type[Model]
    max_queries: int = 10
    list_rows: int = 20
    creates: bool = True
    #: Of ``PARTNER_FORBIDDEN_FIELDS``, those this resource rightly shows a partner user (its
    #: own bank account on its own partner record).
    partner_allowed_fields: tuple[str, ...] = ()
    #: The business limits the create endpoint checks: ``(path, just inside, just outside)``,
    #: the path into ``valid_create_payload`` dotted (``"lines.0.quantity"``, ``"date"``); a
    #: value is a string, or a callable returning one (a date relative to today).
    limit_checks: tuple[tuple[str, object, object], ...] = ()

    # --- What a resource test describes -------------------------------------------------------

    def make_object(self, partner: Partner | None = None) -> Model:
        """A saved object; owned by ``partner`` when given (documents of that partner)."""
        raise NotImplementedError

    def valid_create_payload(self) -> dict:
        """A body the create endpoint accepts."""
        raise NotImplementedError

    def invalid_create_payload(self) -> dict:
        """A body the create endpoint must refuse with 400."""
        raise NotImplementedError

    def allowed_user(self) -> User:
        """A staff user whose role may list, read and create."""
        raise NotImplementedError

    def wrong_role_user(self) -> User:
        """A staff user whose role may not use this resource."""
        raise NotImplementedError

    def partner_user_for(self, obj: Model) -> User | None:
        """A partner user who may see ``obj``; ``None`` when partners never see the resource."""
        raise NotImplementedError

    def detail_url(self, obj: Model) -> str:
        """The URL of one object."""
        return f"{self.list_url}{obj.pk}/"

    # --- Shared set-up -----------------------------------------------------------------------

    @pytest.fixture(autouse=True)
    def _fresh_throttle_cache(self) -> Iterable[None]:
        """Throttling counts requests in the cache: each test starts from zero."""
        cache.clear()
        yield
        cache.clear()

    def _result_ids(self, response) -> set:
        """The ids of a list page's rows."""
        return {row["id"] for row in response.json()["results"]}

    # --- The tests ---------------------------------------------------------------------------

    @pytest.mark.django_db
    def test_list_is_paginated_within_a_query_budget(self, django_assert_max_num_queries) -> None:
        """List answers a paginated page, and its query count does not grow with the rows."""
        client = api_client(self.allowed_user())
        self.make_object()
        with CaptureQueriesContext(connection) as one_row:
            assert client.get(self.list_url).status_code == 200
        for _ in range(self.list_rows):
            self.make_object()
        with django_assert_max_num_queries(self.max_queries):
            response = client.get(self.list_url, {"page_size": 100})
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        assert set(body) >= {"count", "next", "previous", "results"}
        assert body["count"] >= self.list_rows + 1
        assert len(body["results"]) >= self.list_rows + 1
        with CaptureQueriesContext(connection) as many_rows:
            client.get(self.list_url, {"page_size": 100})
        assert len(many_rows) == len(one_row), "a query per row: add select/prefetch_related"

    @pytest.mark.django_db
    def test_detail(self) -> None:
        """Detail answers the object."""
        obj = self.make_object()
        response = api_client(self.allowed_user()).get(self.detail_url(obj))
        assert response.status_code == 200, response.content[:500]
        assert response.json()["id"] == obj.pk

    @pytest.mark.django_db
    def test_create(self) -> None:
        """A valid body creates one object and answers 201 with it."""
        if not self.creates:
            pytest.skip("read-only resource")
        client = api_client(self.allowed_user())
        before = self.model._default_manager.count()
        response = client.post(self.list_url, self.valid_create_payload(), format="json")
        assert response.status_code == 201, response.content[:500]
        assert self.model._default_manager.count() == before + 1
        assert self.model._default_manager.filter(pk=response.json()["id"]).exists()

    @pytest.mark.django_db
    def test_create_with_bad_input_is_400_and_writes_nothing(self) -> None:
        """A bad body answers 400 with field errors, and no row is written."""
        if not self.creates:
            pytest.skip("read-only resource")
        client = api_client(self.allowed_user())
        before = self.model._default_manager.count()
        response = client.post(self.list_url, self.invalid_create_payload(), format="json")
        body = assert_error_body(response, 400, "invalid")
        assert body["errors"]
        assert self.model._default_manager.count() == before

    @pytest.mark.django_db
    def test_limits_take_just_inside_and_refuse_just_outside(self) -> None:
        """Each declared limit: the value just inside is created (201), the value just outside
        is refused (400, the JSON error body) and nothing is written."""
        if not self.creates or not self.limit_checks:
            pytest.skip("the resource declares no limits")
        client = api_client(self.allowed_user())
        manager = self.model._default_manager
        for path, inside, outside in self.limit_checks:
            payload = _with_value(self.valid_create_payload(), path, inside)
            before = manager.count()
            response = client.post(self.list_url, payload, format="json")
            assert response.status_code == 201, (path, inside, response.content[:500])
            assert manager.count() == before + 1
            payload = _with_value(self.valid_create_payload(), path, outside)
            before = manager.count()
            response = client.post(self.list_url, payload, format="json")
            assert_error_body(response, 400)
            assert manager.count() == before, (path, outside)

    @pytest.mark.django_db
    def test_wrong_role_is_403(self) -> None:
        """A staff user without the role's permissions is refused, reading and writing."""
        obj = self.make_object()
        client = api_client(self.wrong_role_user())
        assert_error_body(client.get(self.list_url), 403, "permission_denied")
        assert_error_body(client.get(self.detail_url(obj)), 403, "permission_denied")
        if self.creates:
            before = self.model._default_manager.count()
            response = client.post(self.list_url, self.valid_create_payload(), format="json")
            assert_error_body(response, 403, "permission_denied")
            assert self.model._default_manager.count() == before

    @pytest.mark.django_db
    def test_another_partners_object_is_404_for_a_partner_user(self) -> None:
        """A partner user sees its partner's objects only; another partner's is 404."""
        mine = self.make_object(partner=PartnerFactory())
        theirs = self.make_object(partner=PartnerFactory())
        user = self.partner_user_for(mine)
        if user is None:
            # Partners never see this resource: any partner user is refused outright.
            client = api_client(partner_user(PartnerFactory()))
            assert_error_body(client.get(self.list_url), 403)
            assert_error_body(client.get(self.detail_url(theirs)), 403)
            return
        client = api_client(user)
        assert_error_body(client.get(self.detail_url(theirs)), 404, "not_found")
        assert client.get(self.detail_url(mine)).status_code == 200
        listed = client.get(self.list_url, {"page_size": 500})
        assert listed.status_code == 200
        ids = self._result_ids(listed)
        assert mine.pk in ids
        assert theirs.pk not in ids

    @pytest.mark.django_db
    def test_a_deeply_nested_body_is_400_json_and_writes_nothing(self) -> None:
        """JSON nested past the parser's limit is bad input (400), never a crash."""
        if not self.creates:
            pytest.skip("read-only resource")
        client = api_client(self.allowed_user())
        before = self.model._default_manager.count()
        for depth in (MAX_JSON_DEPTH + 1, 1_000):
            response = client.post(
                self.list_url, data=nested_json(depth), content_type="application/json"
            )
            assert_error_body(response, 400, "parse_error")
        assert self.model._default_manager.count() == before

    @pytest.mark.django_db
    def test_an_oversized_body_is_413_json_and_writes_nothing(self) -> None:
        """A body over the upload limit is a 413 with the JSON error body, not an HTML page."""
        if not self.creates:
            pytest.skip("read-only resource")
        client = api_client(self.allowed_user())
        before = self.model._default_manager.count()
        response = client.post(
            self.list_url, data=oversized_json(), content_type="application/json"
        )
        assert_error_body(response, 413, "request_too_large")
        assert self.model._default_manager.count() == before

    def _view(self, url: str):
        return resolve(url).func.cls

    @pytest.mark.django_db
    def test_a_partner_user_sees_only_the_declared_partner_fields(self) -> None:
        """Detail and list rows show the read serializer's ``partner_fields``, nothing internal."""
        mine = self.make_object(partner=PartnerFactory())
        user = self.partner_user_for(mine)
        if user is None:
            pytest.skip("partner users never see this resource")
        declared = set(self._view(self.detail_url(mine)).serializer_class.partner_fields)
        forbidden = PARTNER_FORBIDDEN_FIELDS - set(self.partner_allowed_fields)
        client = api_client(user)
        detail = client.get(self.detail_url(mine))
        assert detail.status_code == 200, detail.content[:500]
        assert set(detail.json()) == declared
        listed = client.get(self.list_url, {"page_size": 500})
        assert listed.status_code == 200, listed.content[:500]
        rows = [row for row in listed.json()["results"] if row["id"] == mine.pk]
        assert rows and set(rows[0]) == declared
        shown = _keys(detail.json()) | _keys(listed.json()["results"])
        assert not shown & forbidden, sorted(shown & forbidden)

    @pytest.mark.django_db
    def test_filters_cannot_probe_other_partners_ids(self) -> None:
        """For a partner user, a related-object filter answers another partner's id exactly as
        an id that does not exist; its own id still finds its rows."""
        mine = self.make_object(partner=PartnerFactory())
        theirs = self.make_object(partner=PartnerFactory())
        user = self.partner_user_for(mine)
        if user is None:
            pytest.skip("partner users never see this resource")
        filterset = getattr(self._view(self.list_url), "filterset_class", None)
        if filterset is None:
            pytest.skip("the resource has no filters")
        client = api_client(user)
        related_filters = (
            django_filters.ModelChoiceFilter,
            django_filters.ModelMultipleChoiceFilter,
        )
        probed = 0
        for name, model_filter in filterset.base_filters.items():
            if not isinstance(model_filter, related_filters):
                continue
            their_object = _related(theirs, model_filter.field_name)
            my_object = _related(mine, model_filter.field_name)
            if their_object is None or their_object == my_object:
                continue  # shared master data (a warehouse) finds the partner's own rows
            unknown_id = type(their_object)._default_manager.order_by("-pk").first().pk + 10_000
            their_answer = client.get(self.list_url, {name: their_object.pk})
            unknown_answer = client.get(self.list_url, {name: unknown_id})
            assert their_answer.status_code == unknown_answer.status_code, name
            assert their_answer.content == unknown_answer.content, name
            if my_object is not None:
                own = client.get(self.list_url, {name: my_object.pk, "page_size": 500})
                assert own.status_code == 200, (name, own.content[:500])
                assert mine.pk in self._result_ids(own), name
            probed += 1
        if not probed:
            pytest.skip("the resource has no filter on related objects")

    @pytest.mark.django_db
    def test_anonymous_is_401(self) -> None:
        """Without credentials: 401 and the JSON error body, never data."""
        obj = self.make_object()
        client = APIClient()
        assert_error_body(client.get(self.list_url), 401, "not_authenticated")
        assert_error_body(client.get(self.detail_url(obj)), 401, "not_authenticated")
        if self.creates:
            response = client.post(self.list_url, self.valid_create_payload(), format="json")
            assert_error_body(response, 401, "not_authenticated")


class DocumentFlowTests:
    """The status flow every document API passes; mix it in before ``APIResourceTests``.

    Describe the document with ``make_draft`` (a saved document), ``flow_user`` (a staff user
    who may run every step) and, when the flow differs from saved → approved → saved / voided,
    the class attributes: the verbs (``approve_verb``, ``unapprove_verb``, ``void_verb``; ``None``
    when the document has no such step), the statuses, ``unapproves = False`` when an approved
    document is never taken back (a shipped delivery: ``unapprove_refusal_code``),
    ``has_revision = False`` without a ``revision``, the error codes of refusals
    (``refusal_code``, ``void_approved_code``, ``downstream_code``; ``None``: any code).
    ``make_downstream(document)`` makes something from the approved document and returns True,
    to test that unapprove is then refused.
    """

    list_url: str = ""
    model: type[Model]
    approve_verb: str = "approve"
    unapprove_verb: str | None = "unapprove"
    void_verb: str | None = "void"
    draft_status: str = "draft"
    approved_status: str = "approved"
    voided_status: str = "voided"
    unapproves: bool = True
    unapprove_refusal_code: str | None = None
    has_revision: bool = True
    refusal_code: str | None = "invalid_status"
    #: The code when an approved document is voided (a shipped delivery says ``shipped``).
    void_approved_code: str | None = "invalid_status"
    downstream_code: str | None = "has_downstream"

    # --- What a document test describes ------------------------------------------------------

    def make_draft(self) -> Model:
        """A saved (draft) document, ready to be approved."""
        raise NotImplementedError

    def flow_user(self) -> User:
        """A staff user who may approve, unapprove, void and change the document."""
        return self.allowed_user()

    def make_downstream(self, document: Model) -> bool:
        """Make a document from the approved ``document``; False when the test does not say how."""
        return False

    def update_payload(self) -> dict:
        """A PATCH body that changes a draft."""
        return {"memo": "changed through the API"}

    def detail_url(self, obj: Model) -> str:
        """The URL of one document."""
        return f"{self.list_url}{obj.pk}/"

    # --- Helpers -----------------------------------------------------------------------------

    @pytest.fixture(autouse=True)
    def _flow_client(self, db) -> None:
        cache.clear()  # throttling counts requests in the cache

    def snapshot(self, document: Model) -> dict:
        """The document's row as stored, to prove that a refusal changed nothing."""
        return self.model._default_manager.filter(pk=document.pk).values().get()

    def step(self, client: APIClient, document: Model, verb: str, body: dict | None = None):
        """``POST …/{id}/<verb>/``."""
        url = f"{self.detail_url(document)}{verb.replace('_', '-')}/"
        return client.post(url, body or {}, format="json")

    def _revision(self, document: Model) -> dict:
        if not self.has_revision:
            return {}
        return {"revision": self.model._default_manager.get(pk=document.pk).revision}

    def _approved(self, client: APIClient) -> Model:
        document = self.make_draft()
        response = self.step(client, document, self.approve_verb)
        assert response.status_code == 200, response.content[:500]
        return document

    def _voided(self, client: APIClient) -> Model:
        document = self.make_draft()
        response = self.step(client, document, self.void_verb, {"reason": "entered twice"})
        assert response.status_code == 200, response.content[:500]
        return document

    def assert_refused(
        self, response, document: Model, before: dict, status_code: int = 409, code=None
    ) -> None:
        """A 4xx with the JSON error body, and the row exactly as ``before``."""
        assert_error_body(response, status_code, code)
        assert self.snapshot(document) == before

    # --- The tests ---------------------------------------------------------------------------

    @pytest.mark.django_db
    def test_flow_approve_answers_the_approved_document(self) -> None:
        """Approve (审核) a draft: 200 with the document as read, approved, one revision on."""
        client = api_client(self.flow_user())
        document = self.make_draft()
        revision = self._revision(document)
        response = self.step(client, document, self.approve_verb, revision)
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        assert body["id"] == document.pk
        assert body["status"] == self.approved_status
        assert self.snapshot(document)["status"] == self.approved_status
        if revision:
            assert body["revision"] == revision["revision"] + 1

    @pytest.mark.django_db
    def test_flow_approving_twice_is_refused_and_changes_nothing(self) -> None:
        """A second approval is a 409; the approved document stays as it was."""
        client = api_client(self.flow_user())
        document = self._approved(client)
        before = self.snapshot(document)
        response = self.step(client, document, self.approve_verb)
        self.assert_refused(response, document, before, code=self.refusal_code)

    @pytest.mark.django_db
    def test_flow_unapprove_takes_the_approval_back(self) -> None:
        """Unapprove (反审核) an approved document: a draft again, or refused where it never is."""
        if self.unapprove_verb is None:
            pytest.skip("the document has no unapprove step")
        client = api_client(self.flow_user())
        document = self._approved(client)
        if not self.unapproves:
            before = self.snapshot(document)
            response = self.step(client, document, self.unapprove_verb)
            self.assert_refused(response, document, before, code=self.unapprove_refusal_code)
            return
        response = self.step(client, document, self.unapprove_verb, self._revision(document))
        assert response.status_code == 200, response.content[:500]
        assert response.json()["status"] == self.draft_status
        assert self.snapshot(document)["status"] == self.draft_status

    @pytest.mark.django_db
    def test_flow_unapproving_a_draft_is_refused_and_changes_nothing(self) -> None:
        """Only an approved document is unapproved."""
        if self.unapprove_verb is None:
            pytest.skip("the document has no unapprove step")
        client = api_client(self.flow_user())
        document = self.make_draft()
        before = self.snapshot(document)
        response = self.step(client, document, self.unapprove_verb)
        self.assert_refused(response, document, before)

    @pytest.mark.django_db
    def test_flow_unapprove_with_something_downstream_is_refused(self) -> None:
        """While a document made from it exists, the approval stays (409, nothing changed)."""
        if self.unapprove_verb is None or not self.unapproves:
            pytest.skip("the document is never unapproved")
        client = api_client(self.flow_user())
        document = self._approved(client)
        if not self.make_downstream(document):
            pytest.skip("the test does not say how to make a downstream document")
        before = self.snapshot(document)
        response = self.step(client, document, self.unapprove_verb)
        self.assert_refused(response, document, before, code=self.downstream_code)

    @pytest.mark.django_db
    def test_flow_void_keeps_the_document_with_its_reason(self) -> None:
        """Void (作废) a draft with a reason: voided, the reason kept."""
        if self.void_verb is None:
            pytest.skip("the document has no void step")
        client = api_client(self.flow_user())
        document = self.make_draft()
        body = {"reason": "entered twice", **self._revision(document)}
        response = self.step(client, document, self.void_verb, body)
        assert response.status_code == 200, response.content[:500]
        assert response.json()["status"] == self.voided_status
        row = self.snapshot(document)
        assert row["status"] == self.voided_status
        assert row["void_reason"] == "entered twice"

    @pytest.mark.django_db
    def test_flow_void_without_a_reason_is_400_and_changes_nothing(self) -> None:
        """A void needs a reason."""
        if self.void_verb is None:
            pytest.skip("the document has no void step")
        client = api_client(self.flow_user())
        document = self.make_draft()
        before = self.snapshot(document)
        response = self.step(client, document, self.void_verb, {"reason": ""})
        self.assert_refused(response, document, before, 400, "invalid")

    @pytest.mark.django_db
    def test_flow_voiding_a_voided_or_approved_one_is_refused(self) -> None:
        """Only a draft is voided; a voided document is not approved either."""
        if self.void_verb is None:
            pytest.skip("the document has no void step")
        client = api_client(self.flow_user())
        voided = self._voided(client)
        before = self.snapshot(voided)
        response = self.step(client, voided, self.void_verb, {"reason": "again"})
        self.assert_refused(response, voided, before, code=self.refusal_code)
        response = self.step(client, voided, self.approve_verb)
        self.assert_refused(response, voided, before, code=self.refusal_code)
        approved = self._approved(client)
        before = self.snapshot(approved)
        response = self.step(client, approved, self.void_verb, {"reason": "too late"})
        self.assert_refused(response, approved, before, code=self.void_approved_code)

    @pytest.mark.django_db
    def test_flow_patch_changes_a_draft_and_counts_a_revision(self) -> None:
        """PATCH changes the fields sent on a draft; the revision grows."""
        client = api_client(self.flow_user())
        document = self.make_draft()
        revision = self._revision(document)
        body = {**self.update_payload(), **revision}
        response = client.patch(self.detail_url(document), body, format="json")
        assert response.status_code == 200, response.content[:500]
        assert response.json()["id"] == document.pk
        for name, value in self.update_payload().items():
            if not isinstance(value, list | dict):
                assert response.json()[name] == value
        if revision:
            assert response.json()["revision"] == revision["revision"] + 1

    @pytest.mark.django_db
    def test_flow_patch_of_an_approved_document_is_refused(self) -> None:
        """An approved document is no longer editable (409, nothing changed)."""
        client = api_client(self.flow_user())
        document = self._approved(client)
        before = self.snapshot(document)
        response = client.patch(self.detail_url(document), self.update_payload(), format="json")
        self.assert_refused(response, document, before)

    @pytest.mark.django_db
    def test_flow_a_stale_revision_is_409_and_changes_nothing(self) -> None:
        """Every write based on an older read is refused: PATCH and each step."""
        if not self.has_revision:
            pytest.skip("the document has no revision")
        client = api_client(self.flow_user())
        document = self.make_draft()
        revision = self._revision(document)["revision"]
        changed = client.patch(
            self.detail_url(document), {**self.update_payload(), "revision": revision}, "json"
        )
        assert changed.status_code == 200, changed.content[:500]
        before = self.snapshot(document)
        stale = {"revision": revision}
        response = client.patch(self.detail_url(document), {"memo": "stale", **stale}, "json")
        self.assert_refused(response, document, before, code="stale_update")
        response = self.step(client, document, self.approve_verb, stale)
        self.assert_refused(response, document, before, code="stale_update")
        if self.void_verb is not None:
            response = self.step(client, document, self.void_verb, {"reason": "x", **stale})
            self.assert_refused(response, document, before, code="stale_update")
        if self.unapprove_verb is not None and self.unapproves:
            self.step(client, document, self.approve_verb)
            before = self.snapshot(document)
            response = self.step(client, document, self.unapprove_verb, stale)
            self.assert_refused(response, document, before, code="stale_update")

    @pytest.mark.django_db
    def test_flow_a_step_refuses_a_deep_or_oversized_body_and_changes_nothing(self) -> None:
        """A status step's body goes through the same parser: 400 too deep, 413 too big."""
        step = resolve(self.list_url).func.cls.steps.get(self.approve_verb)
        if step is not None and step.input is None:
            pytest.skip("the step takes no body")
        client = api_client(self.flow_user())
        document = self.make_draft()
        before = self.snapshot(document)
        url = f"{self.detail_url(document)}{self.approve_verb.replace('_', '-')}/"
        response = client.post(url, data=nested_json(1_000), content_type="application/json")
        self.assert_refused(response, document, before, 400, "parse_error")
        response = client.post(url, data=oversized_json(), content_type="application/json")
        self.assert_refused(response, document, before, 413, "request_too_large")

    @pytest.mark.django_db
    def test_flow_put_is_405_and_changes_nothing(self) -> None:
        """Documents change by PATCH only: PUT answers 405."""
        client = api_client(self.flow_user())
        document = self.make_draft()
        before = self.snapshot(document)
        response = client.put(self.detail_url(document), self.update_payload(), format="json")
        self.assert_refused(response, document, before, 405, "method_not_allowed")
