"""Imports only go down: CLI → commands → publish / sync / report / preview / flyer → build → model →
small utilities (Moodle and LRS protocols, YAML, zips). Nothing imports a layer above it."""

from __future__ import annotations

import ast

from conftest import REPO

RANKS = {
    "__main__": 7, "cli": 6,
    "commands": 5,
    "publish": 4, "sync": 4, "report": 4, "preview": 4, "flyer": 4,
    "build": 3,
    "model": 2,
    "moodle": 1, "lrs": 1, "utils": 0, "resources": 0, "__init__": 0,
}


def layer(module: str) -> str:
    """``packager.build.content`` → ``build``; ``packager`` → ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_imports_only_go_down() -> None:
    wrong = []
    for path in sorted((REPO / "packager").rglob("*.py")):
        relative = path.relative_to(REPO).with_suffix("")
        here = relative.parts[1]  # packager/cli/sync.py → cli; packager/build/content.py → build
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("packager"):
                target = layer(node.module)
                if target != here and RANKS[target] >= RANKS[here]:
                    wrong.append(f"{relative}: {node.module}")
    assert wrong == []
