"""Where the shipped templates and the embedded catalogue are.

A wheel carries ``templates/``, ``courses/`` and ``moodle/`` (as ``plugin_source``) inside the
package (see pyproject.toml); a source checkout or an editable install keeps them at the
repository root, beside ``packager/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=8)  # where the install put them does not change while the tool runs
def _shipped(name: str, inside_name: str | None = None) -> Path:
    inside = _PACKAGE_DIR / (inside_name or name)
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / name


def templates_dir() -> Path:
    return _shipped("templates")


def moodle_plugin_dir() -> Path:
    """The companion Moodle plugin's source (``moodle/local_coursepack``)."""
    return _shipped("moodle", "plugin_source") / "local_coursepack"


def embedded_catalogue() -> Path:
    """The real catalogue, the default of every command."""
    return _shipped("courses")
