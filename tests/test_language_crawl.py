"""No English left on the Chinese pages: signed in as every demo user with Simplified Chinese as
the language, every page its menu and home page lead to (the role crawl's links) is read, and
any English message of the product's own catalogue found in its visible text fails the test.

The catalogue's messages are the entries of ``locale/zh_Hans/LC_MESSAGES/django.po`` that have
a translation other than themselves; only those of three words or more are looked for (a word
such as "Item" also appears in codes and names). A message with placeholders is looked for with
any short value in their place.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from erp_core.models import User
from tests.test_role_crawl import DEMO_USERS, _internal, _parse, _shape

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
MIN_WORDS = 3
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]|\{\{\s*\w+\s*\}\}|\{\w*\}")


def _unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def catalogue_entries(path: Path = CATALOGUE) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry of a .po file (plural entries: the singular forms)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            found = re.match(
                r'(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?|msgstr\[\d+\]) "(.*)"$', line
            )
            if found:
                current = found.group(1).replace("[0]", "")
                fields.setdefault(current, "")
                fields[current] += _unquote(found.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unquote(line[1:-1])
        if fields.get("msgid"):
            entries.append((fields["msgid"], fields.get("msgstr", "")))
    return entries


def english_patterns() -> list[tuple[str, re.Pattern]]:
    """A pattern for each translated English message long enough to be told from a name."""
    patterns = []
    for msgid, msgstr in catalogue_entries():
        if not msgstr or msgstr == msgid or "<" in msgid or "\n" in msgid:
            continue
        literal = PLACEHOLDER.sub(" ", msgid)
        if len(re.findall(r"[A-Za-z]{2,}", literal)) < MIN_WORDS:
            continue
        parts = [re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(msgid)]
        body = r".{0,60}?".join(parts).replace(r"\ ", r"\s+")
        patterns.append((msgid, re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])")))
    return patterns


class _Text(HTMLParser):
    """The text a reader sees: text nodes outside scripts and styles, and placeholders/titles."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(text: str, patterns) -> list[str]:
    return [msgid for msgid, pattern in patterns if pattern.search(text)]


def test_the_catalogue_is_read_and_its_patterns_find_english():
    patterns = english_patterns()
    assert len(patterns) > 200
    assert english_left("发货 Page not found 确定", patterns) == ["Page not found"]
    assert english_left("页面不存在", patterns) == []


@pytest.fixture
def demo(db):
    from erp_core.demo import demo_load

    demo_load()


@pytest.mark.parametrize("username", DEMO_USERS)
def test_no_english_message_is_left_on_a_demo_users_chinese_pages(demo, username):
    patterns = english_patterns()
    client = Client(**ZH)
    client.force_login(User.objects.get(username=username))
    found: dict[str, set[str]] = {}
    seen = {_shape("/")}

    def read(url: str):
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{username}: {url} answered {response.status_code}"
        if response.get("Content-Type", "").startswith("text/html"):
            assert response["Content-Language"] == "zh-hans", url
            for msgid in english_left(visible_text(response.content.decode()), patterns):
                found.setdefault(msgid, set()).add(url)
        return _parse(response)

    frontier = [("/", read("/"))]
    for _depth in range(2):
        following = []
        for base, page in frontier:
            for href in page.links:
                url = _internal(base, href)
                if url is None or _shape(url) in seen:
                    continue
                seen.add(_shape(url))
                following.append((url, read(url)))
        frontier = following
    assert len(seen) > 1, f"{username} was shown no link"
    assert not found, f"{username}: English on Chinese pages: " + "; ".join(
        f"{msgid!r} on {sorted(urls)[:3]}" for msgid, urls in sorted(found.items())
    )
