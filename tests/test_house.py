"""The house's own size rules: a module a newcomer can read in one sitting, a function that fits
on a screen. Data tables (messages in two languages) are allowed to be long."""

from __future__ import annotations

import ast

from conftest import REPO

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
#: modules that are tables of data, not code
DATA_TABLES = {"packager/model/messages.py"}


def _modules() -> list[tuple[str, str]]:
    return [(path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8"))
            for path in sorted((REPO / "packager").rglob("*.py"))]


def test_no_module_over_400_lines() -> None:
    long = [f"{name}: {text.count(chr(10))}" for name, text in _modules()
            if name not in DATA_TABLES and text.count("\n") > MAX_MODULE_LINES]
    assert long == []


def test_no_function_over_60_lines() -> None:
    long = []
    for name, text in _modules():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name} ({lines})")
    assert long == []


def test_the_picture_of_the_house_names_every_floor() -> None:
    """A newcomer finds the CLI, the use cases (commands), the builders and every other floor
    from docs/architecture.md's picture and the folder names alone."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = text.split("## Layers", 1)[1].split("```")[1]
    floors = sorted(path.parent.relative_to(REPO / "packager").as_posix()
                    for path in (REPO / "packager").glob("*/__init__.py"))
    assert [floor for floor in floors if floor not in picture] == []
    assert "packaging/" in picture and "builders/" in picture and "commands/" in picture and "cli/" in picture
