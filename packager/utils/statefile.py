"""Small JSON state files (build digests, publish notes, sync cursors): read forgivingly,
written atomically. A missing or damaged file reads as empty: the work is then simply redone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from packager.utils.atomic import sweep_leftovers, write_text_atomic


def read_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_state(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True) + "\n")


def sweep_state_leftovers(path: Path) -> None:
    """The ``.part`` files a writer of ``path`` killed mid-write left beside it (see
    :func:`~packager.utils.atomic.sweep_leftovers`); nothing else of its folder is touched."""
    sweep_leftovers(path.parent, of=path.name)
