"""docs/events.md lists every declared topic with its fields, and nothing else."""

import re
from pathlib import Path

from integration.topics import TOPICS

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_every_declared_topic_is_documented_with_its_fields():
    rows = {
        match.group(1): match.group(2).strip()
        for match in re.finditer(r"^\| `([a-z_]+\.[a-z_]+)` \| ([^|]+) \|", DOC.read_text(), re.M)
    }
    declared = {name: topic for name, topic in TOPICS.items() if not name.startswith("probe.")}
    assert set(rows) == set(declared)
    for name, topic in declared.items():
        assert [f.strip() for f in rows[name].split(",")] == list(topic.fields), name


def test_topic_names_follow_module_dot_fact():
    for name in TOPICS:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", name), name


def test_every_declared_line_schema_is_documented():
    text = DOC.read_text()
    section = text[text.index("\n## Lines\n") : text.index("\n## Topics\n")]
    rows = {
        match.group(1): re.sub(r"\([^)]*\)", "", match.group(2)).strip()
        for match in re.finditer(r"^\| `([a-z_]+\.[a-z_]+)` \| ([^|]+) \|", section, re.M)
    }
    declared = {
        name: topic.line_fields()
        for name, topic in TOPICS.items()
        if topic.line_fields() and not name.startswith("probe.")
    }
    assert set(rows) == set(declared)
    for name, fields in declared.items():
        documented = [f.strip() for f in rows[name].split(",")]
        # A line's own lines (a shipment line's lots) show as "lines", their fields in brackets.
        expected = [
            f"{field}: {'lines' if isinstance(kind, dict) else kind}"
            for field, kind in fields.items()
        ]
        assert documented == expected, name
