"""Where the shipped templates and the embedded catalogue are.

A wheel carries ``templates/`` and ``courses/`` inside the package (see pyproject.toml); a
source checkout or an editable install keeps them at the repository root, beside ``packager/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE_DIR / name
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / name


def templates_dir() -> Path:
    return _shipped("templates")


def embedded_catalogue() -> Path:
    """The real catalogue, the default of every command."""
    return _shipped("courses")
