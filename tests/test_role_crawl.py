"""Each role can do its job: signed in as every demo user, every link its menu and home page
show opens, and every searching select on those pages answers.

The crawl goes one level deep from the home page (the menu and the counts), then one more from
each list it reached (the documents listed), so that detail pages and their forms are opened
too. A 403 means a menu shows a page its role may not open; a picker's 403 means a form its
role sees cannot be filled in.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from erp_core.demo import DEMO_PASSWORD, demo_load
from erp_core.models import User

pytestmark = pytest.mark.django_db

DEMO_USERS = (
    "sales",
    "planner",
    "shopfloor",
    "warehouse",
    "finance",
    "customer-c001",
    "supplier-s001",
)

# Links that are not pages of the product: signing out, switching language, the admin and the
# API (each tested on its own), downloads are fetched but not parsed.
SKIPPED_PREFIXES = ("/accounts/logout", "/i18n/", "/admin/", "/api/", "/static/", "/media/")


class _Page(HTMLParser):
    """The internal links (``a href``) and search URLs (``data-search-url``) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.searches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if values.get("data-search-url"):
            self.searches.append(values["data-search-url"] or "")


def _internal(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return path


def _shape(url: str) -> str:
    """A page's route and the names of its query: one order's page stands for every order's,
    one filter value for the others."""
    path, _sep, query = url.partition("?")
    names = sorted({part.partition("=")[0] for part in query.split("&") if part})
    return re.sub(r"\d+", "N", path) + "?" + "&".join(names)


def _open(client: Client, url: str, who: str):
    response = client.get(url, follow=True)
    assert response.status_code == 200, f"{who}: {url} answered {response.status_code}"
    return response


def _parse(response) -> _Page:
    page = _Page()
    if response.get("Content-Type", "").startswith("text/html"):
        page.feed(response.content.decode())
    return page


@pytest.fixture
def demo(db):
    demo_load()


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_link_and_picker_a_demo_user_is_shown_opens(demo, username):
    user = User.objects.get(username=username)
    assert user.check_password(DEMO_PASSWORD), username
    client = Client()
    client.force_login(user)  # the sign-in page itself is tested with django-axes in tests/api
    home = _open(client, "/", username)
    assert b'data-testid="no-module"' not in home.content, f"{username} has no module"
    seen: set[str] = {_shape("/")}
    searched: set[str] = set()

    def visit(base: str, page: _Page) -> None:
        for search in page.searches:
            url = _internal(base, search)
            if url and url not in searched:
                searched.add(url)
                sep = "&" if "?" in url else "?"
                answer = client.get(f"{url}{sep}q=")
                assert answer.status_code == 200, f"{username}: picker {url} on {base}"
                assert "results" in answer.json()

    frontier = [("/", _parse(home))]
    visit("/", frontier[0][1])
    for _depth in range(2):
        following = []
        for base, page in frontier:
            for href in page.links:
                url = _internal(base, href)
                if url is None or _shape(url) in seen:
                    continue
                seen.add(_shape(url))
                parsed = _parse(_open(client, url, username))
                visit(url, parsed)
                following.append((url, parsed))
        frontier = following
    assert len(seen) > 1, f"{username} was shown no link"
