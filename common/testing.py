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
detail, create (201; 400 with nothing written), wrong role (403), another partner's object
(404), anonymous (401).
"""

from collections.abc import Iterable

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from erp_core.models import Partner, User
from erp_core.roles import ROLE_NAMES
from erp_core.services import roles_sync
from erp_core.tests.factories import PartnerFactory, UserFactory
from erp_core.tokens import api_token_issue

__all__ = [
    "APIResourceTests",
    "PartnerFactory",
    "UserFactory",
    "api_client",
    "assert_error_body",
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
    def test_anonymous_is_401(self) -> None:
        """Without credentials: 401 and the JSON error body, never data."""
        obj = self.make_object()
        client = APIClient()
        assert_error_body(client.get(self.list_url), 401, "not_authenticated")
        assert_error_body(client.get(self.detail_url(obj)), 401, "not_authenticated")
        if self.creates:
            response = client.post(self.list_url, self.valid_create_payload(), format="json")
            assert_error_body(response, 401, "not_authenticated")
