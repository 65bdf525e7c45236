"""Which folder a path's catalogue is in. Light on purpose: it runs before any model is imported."""

from __future__ import annotations

from pathlib import Path

from packager.model.location import find_root


def resolve_catalogue(path: Path) -> tuple[Path, Path | None]:
    """(catalogue root, the single file asked for or None)."""
    root = find_root(path)
    single = path.resolve() if path.is_file() else None
    if root is None:
        root = path if path.is_dir() else path.parent
    return root, single
