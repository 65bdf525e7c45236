"""Every message exists in French and English, with the same parameters, and every code the
code emits has a message (a missing one would show as a vague "invalid value")."""

from __future__ import annotations

import re
import string
from pathlib import Path

from packager.model.messages import MESSAGES, render

PACKAGE = Path(__file__).resolve().parent.parent / "packager"
CODE_PREFIXES = ("yaml", "file", "catalogue", "settings", "field", "type", "value", "list", "block", "document", "question", "schema", "text", "id", "ref", "job", "media", "a11y", "quiz", "scorm12")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_with_the_same_parameters() -> None:
    for code, entry in MESSAGES.items():
        assert set(entry) == {"fr", "en"}, code
        for part in (0, 1):
            assert fields(entry["fr"][part]) == fields(entry["en"][part]), code


def test_every_emitted_code_has_a_message() -> None:
    pattern = re.compile(r'"((?:' + "|".join(CODE_PREFIXES) + r')\.[a-z0-9_]+)"')
    emitted = {m for file in PACKAGE.rglob("*.py") for m in pattern.findall(file.read_text(encoding="utf-8"))}
    assert emitted, "the pattern must find the codes"
    file_names = {m for m in emitted if m.endswith((".yml", ".js"))}  # "catalogue.yml", the player's "text.js"
    assert sorted(emitted - set(MESSAGES) - file_names) == []


def test_suggestion_is_prepended_to_the_fix() -> None:
    what, fix = render("field.unknown", {"key": "titel", "allowed": "title", "suggestion": "title"}, "fr")
    assert what == "clé inconnue « titel »"
    assert fix == "Vouliez-vous dire « title » ? Clés possibles ici : title."
    assert render("field.unknown", {"key": "x", "allowed": "a"}, "en") == ("unknown key 'x'", "Keys allowed here: a.")
