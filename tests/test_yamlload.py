"""The YAML reader: positions of keys and values, and bad input reported, never raised."""

from __future__ import annotations

from packager.utils.yamlload import MAX_NODES, Position, load_yaml


def test_positions_of_keys_values_and_items() -> None:
    loaded = load_yaml("title: Bonjour\nmodules:\n  - id: a\n    pages: []\n")
    assert loaded.data == {"title": "Bonjour", "modules": [{"id": "a", "pages": []}]}
    assert loaded.source.keys[("title",)] == Position(1, 1)
    assert loaded.source.values[("title",)] == Position(1, 8)
    assert loaded.source.values[("modules", 0)] == Position(3, 5)
    assert loaded.source.keys[("modules", 0, "pages")] == Position(4, 5)


def test_locate_falls_back_to_nearest_ancestor() -> None:
    loaded = load_yaml("a:\n  b: 1\n")
    assert loaded.source.locate(("a", "b", "c")) == Position(2, 6)
    assert loaded.source.locate(("a", "b"), prefer_key=True) == Position(2, 3)


def test_block_scalar_content_line() -> None:
    loaded = load_yaml("x: 1\ntext: |\n  ligne un\n  ligne deux\n")
    assert loaded.source.block_content[("text",)] == 3


def test_keys_are_taken_as_written() -> None:
    loaded = load_yaml("yes: 1\n1.1: 2\n")
    assert loaded.data == {"yes": 1, "1.1": 2}


def test_duplicate_key_is_reported_with_first_line() -> None:
    loaded = load_yaml("a: 1\nb: 2\na: 3\n")
    (issue,) = loaded.issues
    assert (issue.code, issue.position, issue.params) == ("yaml.duplicate_key", Position(3, 1), {"key": "a", "first_line": 1})
    assert loaded.data == {"a": 1, "b": 2}


def test_syntax_error_has_line_and_column() -> None:
    loaded = load_yaml("a: 1\nb: [1, 2\n")
    (issue,) = loaded.issues
    assert issue.code == "yaml.syntax"
    assert issue.position.line == 3


def test_several_documents_are_a_syntax_error() -> None:
    assert load_yaml("a: 1\n---\nb: 2\n").issues[0].code == "yaml.syntax"


def test_merge_keys_are_resolved() -> None:
    loaded = load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert loaded.data["other"] == {"x": 1, "y": 2}


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    loaded = load_yaml("\n".join(lines) + "\n")
    assert loaded.data is None
    assert loaded.issues[0].code == "yaml.too_big"
    assert loaded.issues[0].params == {"limit": MAX_NODES}


def test_non_scalar_key_is_reported() -> None:
    loaded = load_yaml("? [a, b]\n: 1\nc: 2\n")
    assert [i.code for i in loaded.issues] == ["yaml.bad_key"]
    assert loaded.data == {"c": 2}


def test_empty_document() -> None:
    assert load_yaml("# only a comment\n").issues[0].code == "yaml.empty"
