"""Imports only go down: CLI → commands → publish / sync / report / preview / flyer → packaging → model →
small utilities (Moodle and LRS protocols, YAML, zips). Nothing imports a layer above it."""

from __future__ import annotations

import ast

from conftest import REPO

RANKS = {
    "__main__": 7, "cli": 6,
    "commands": 5,
    "publish": 4, "sync": 4, "report": 4, "preview": 4, "flyer": 4,
    "packaging": 3,
    "model": 2,
    "moodle": 1, "lrs": 1, "utils": 0, "resources": 0,
    "__init__": -1,  # the version, which every floor may read
}


def layer(module: str) -> str:
    """``packager.packaging.content`` → ``packaging``; ``packager`` → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported(node: ast.AST) -> list[str]:
    """The packager modules an import statement names: ``from packager.packaging import state``,
    ``from packager import packaging`` (the package ``packager.packaging``) and ``import packager.packaging``."""
    if isinstance(node, ast.ImportFrom) and node.module == "packager":
        return [f"packager.{alias.name}" if alias.name in RANKS else "packager" for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("packager."):
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("packager.")]
    return []


def test_imports_only_go_down() -> None:
    wrong = []
    for path in sorted((REPO / "packager").rglob("*.py")):
        relative = path.relative_to(REPO).with_suffix("")
        here = relative.parts[1]  # packager/cli/sync.py → cli; packager/packaging/content.py → packaging
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for module in imported(node):
                target = layer(module)
                if target != here and RANKS[target] >= RANKS[here]:
                    wrong.append(f"{relative}: {module}")
    assert wrong == []


def test_code_is_hashed_by_import_only() -> None:
    """A cache keyed on the code of other packages names them by import (``utils.sourcekey``),
    never by folder: the validation cache once hashed ``build/``'s sources, unseen by the test above."""
    readers = [path.relative_to(REPO).as_posix() for path in sorted((REPO / "packager").rglob("*.py"))
               if '"*.py"' in path.read_text(encoding="utf-8")]
    assert readers == ["packager/utils/sourcekey.py"]

