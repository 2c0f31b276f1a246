"""English and Simplified Chinese: language negotiation, the switch, and a complete catalog."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from erp_core.tests.factories import UserFactory

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file (header and obsolete ones excluded), as dicts of their keys."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": ""}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.mark.django_db
def test_a_browser_asking_for_zh_cn_gets_the_chinese_login_page(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.8")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.text
    assert "登录中台" in response.text
    assert "用户名" in response.text
    assert "Sign in to Zhongtai" not in response.text


@pytest.mark.django_db
def test_a_browser_asking_for_english_gets_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in response.text
    assert "Sign in to Zhongtai" in response.text


@pytest.mark.parametrize("code", ["zh-cn", "zh-CN", "zh-hans-cn", "zh-sg", "zh"])
def test_chinese_variants_fall_back_to_simplified_chinese(code):
    assert translation.get_supported_language_variant(code) == "zh-hans"


@pytest.mark.django_db
def test_the_language_switch_turns_the_navigation_chinese_and_back(client):
    client.force_login(UserFactory(roles=["Admin"]))
    home = reverse("erp_core:home")
    page = client.get(home)
    assert 'action="/i18n/setlang/"' in page.text
    assert "Partners" in page.text

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    chinese = client.get(home)
    assert '<html lang="zh-hans">' in chinese.text
    for label in ("首页", "合作伙伴", "事件日志", "财务", "集成", "退出登录"):
        assert label in chinese.text

    client.post(reverse("set_language"), {"language": "en", "next": home})
    assert "Event log" in client.get(home).text


@pytest.mark.django_db
def test_the_language_switch_refuses_an_outside_next_url(client):
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_every_message_of_the_chinese_catalog_is_translated():
    entries = _po_entries(CATALOG / "django.po")
    assert len(entries) > 100
    untranslated = [
        entry["msgid"]
        for entry in entries
        if not (entry.get("msgstr") or entry.get("msgstr[0]")) or "fuzzy" in entry["flags"]
    ]
    assert untranslated == []


def test_the_compiled_catalog_is_in_the_tree_and_up_to_date():
    entries = _po_entries(CATALOG / "django.po")
    with (CATALOG / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    stale = [
        entry["msgid"]
        for entry in entries
        if "msgid_plural" not in entry
        and (
            catalog.pgettext(entry["msgctxt"], entry["msgid"])
            if "msgctxt" in entry
            else catalog.gettext(entry["msgid"])
        )
        != entry["msgstr"]
    ]
    assert stale == [], "run `manage.py compilemessages --ignore=.venv`"


def test_django_filter_strings_are_translated_for_zh_hans():
    with translation.override("zh-hans"):
        assert translation.gettext("is greater than") == "大于"
        assert translation.gettext("Field filters") == "字段筛选"
