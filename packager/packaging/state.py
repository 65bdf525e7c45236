"""What the last build recorded beside its packages, and whether anything changed since.

Light on purpose (no template engine, no model): ``coursepack build`` asks it first, and on an
unchanged catalogue that is all it loads, reads and hashes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from packager import packaging
from packager.packaging.runtime import MINIFIERS
from packager.model.cache import fingerprint
from packager.resources import templates_dir
from packager.utils.shrink import recipe as shrink_recipe
from packager.utils.sourcekey import source_key
from packager.utils.statefile import read_state

STATE_FILE = ".coursepack-build.json"
ACTIVITIES_FILE = "xapi-activities.json"


@lru_cache(maxsize=1)
def _templates_digest(folder: Path, minifiers: str) -> str:
    digest = hashlib.sha256(minifiers.encode())
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def templates_digest() -> str:
    """The templates, and the minifiers' versions: another version may write other bytes."""
    return _templates_digest(templates_dir(), MINIFIERS)


@lru_cache(maxsize=1)
def build_code_key() -> str:
    """Changes when the build's code changes (the validator's is in the catalogue's fingerprint)."""
    return source_key(packaging)


def inputs_key(catalogue_fingerprint: str, fmt: str) -> str:
    """Every input of a whole build: the tool and its build code, the format, the catalogue's
    files, the templates, the way images are shrunk (a new Pillow may write other bytes)."""
    key = f"{build_code_key()}:{fmt}:{catalogue_fingerprint}:{templates_digest()}:{shrink_recipe()}"
    return hashlib.sha256(key.encode()).hexdigest()


def up_to_date(root: Path, fmt: str, out: Path) -> list[Path] | None:
    """The packages of the last build if no input changed since (no YAML parsed, nothing written)."""
    recorded = read_state(out / STATE_FILE).get("inputs", {}).get(fmt)
    if not isinstance(recorded, dict) or recorded.get("key") != inputs_key(fingerprint(root.resolve()), fmt):
        return None
    targets = [out / name for name in recorded.get("packages", [])]
    memos = [out / name for name in recorded.get("memos", [])]
    whole = all(t.is_file() for t in (*targets, *memos)) and (out / ACTIVITIES_FILE).is_file()
    return targets if whole else None
