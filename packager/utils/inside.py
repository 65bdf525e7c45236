"""Files named by a catalogue are read only from inside it.

The validator refuses media paths that leave the catalogue, but the builder, the preview and the
media digests read files too, sometimes from a catalogue that has errors (the preview shows what
it can). So containment is enforced where files are opened: a path is resolved (symlinks
followed) and opened only if it is still below the catalogue's real root.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=16)
def _real_root(root: Path) -> Path:
    """The catalogue's own place, resolved once per run (a build asks for every media of every module)."""
    return Path(os.path.realpath(root))


def contained(root: Path, written: str | os.PathLike[str]) -> Path | None:
    """The real path of ``written`` (relative to ``root``) if it stays below the real root."""
    text = os.fspath(written)
    if not text or "\x00" in text:
        return None
    real_root = _real_root(Path(root))
    real = Path(os.path.realpath(real_root / text))
    return real if real.is_relative_to(real_root) and real != real_root else None


def contained_file(root: Path, written: str | os.PathLike[str]) -> Path | None:
    """Like :func:`contained`, and only for an existing regular file."""
    real = contained(root, written)
    return real if real is not None and real.is_file() else None
