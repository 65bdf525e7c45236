"""Validation remembered between runs, so that a command on an unchanged catalogue costs a hash.

Two levels, both keyed by content, never by time alone:
- per course file, by the SHA-256 of its bytes: the parsed YAML, its schema problems and its
  model. A changed file is parsed and validated again; the others are not.
- per catalogue, by a fingerprint of every file below the root (content digests for YAML, size
  and modification time for media) and of the validator's own code: the summary ``validate``
  prints (and ``build`` keeps its own, see ``build.state``). Any change re-runs every cross-file
  check, so a file that refers to a changed one is re-checked too.

The cache lives in the user's cache folder (``$XDG_CACHE_HOME/coursepack``), never in the
catalogue or the output folder; a damaged or unreadable cache is simply ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from packager import __version__
from packager.utils.atomic import write_bytes_atomic
from packager.utils.inside import contained_file

_CODE_FOLDERS = ("model", "utils", "build")


@lru_cache(maxsize=1)
def code_key() -> str:
    """Changes when the validator's code changes (a new version, or an edited source checkout)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for folder in _CODE_FOLDERS:
        for source in sorted((package / folder).rglob("*.py")):
            stat = source.stat()
            digest.update(f"{source.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def cache_file(root: Path, part: str) -> Path | None:
    if os.environ.get("COURSEPACK_NO_CACHE"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursepack"
    return base / f"validation-{hashlib.sha256(str(root).encode()).hexdigest()[:20]}.{part}.pickle"


def _load(path: Path | None) -> Any:
    if path is None:
        return None
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:  # missing, damaged, written by another version: start afresh
        return None
    return data["value"] if isinstance(data, dict) and data.get("code") == code_key() else None


def _save(path: Path | None, value: Any) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, pickle.dumps({"code": code_key(), "value": value}, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError):
        pass  # a cache that cannot be written only costs time


def fingerprint(root: Path) -> str:
    """Every file below the root, hidden folders aside: YAML by content, media by size and time."""
    digest = hashlib.sha256(code_key().encode())
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                if name.endswith((".yml", ".yaml")):
                    real = contained_file(root, os.path.relpath(path, root))
                    content = real.read_bytes() if real is not None else os.readlink(path).encode()  # never read outside
                    digest.update(f"{path}:".encode() + hashlib.sha256(content).digest())
                else:
                    stat = os.stat(path)
                    digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}".encode())
            except OSError:
                digest.update(f"{path}:unreadable".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Summary:
    """What ``coursepack validate`` prints of an unchanged catalogue: loaded in milliseconds,
    where the catalogue's models and source maps would take a second at a thousand modules."""

    problems: list[Any]
    tools: int
    jobs: int
    packages: int


def cached_summary(root: Path) -> Summary | None:
    """The last validation's summary if no file of the catalogue changed since."""
    found = ValidationCache(root.resolve()).whole(fingerprint(root.resolve()))
    return found if isinstance(found, Summary) else None


class ValidationCache:
    """The whole result is read first; the per-file entries only when it does not match."""

    def __init__(self, root: Path) -> None:
        self._whole_path = cache_file(root, "whole")
        self._files_path = cache_file(root, "files")
        self._files: dict[tuple[str, str], Any] | None = None
        self._files_changed = False

    def whole(self, key: str) -> Any:
        found = _load(self._whole_path)
        return found[1] if isinstance(found, tuple) and found[0] == key else None

    def file(self, relative: str, digest: str) -> Any:
        if self._files is None:
            self._files = _load(self._files_path) or {}
        return self._files.get((relative, digest))

    def keep_files(self, entries: dict[tuple[str, str], Any]) -> None:
        if entries != self._files:
            self._files = entries
            self._files_changed = True

    def keep_whole(self, key: str, value: Any) -> None:
        if self._files_changed:
            _save(self._files_path, self._files)
        _save(self._whole_path, (key, value))
