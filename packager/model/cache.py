"""Validation remembered between runs, so that a command on an unchanged catalogue costs a hash.

Two levels, both keyed by content, never by time alone:
- per course file, by the SHA-256 of its bytes: the parsed YAML, its schema problems and its
  model. A changed file is parsed and validated again; the others are not.
- per catalogue, by a fingerprint of every file below the root (content digests for YAML, size
  and modification time for media) and of the validator's own code (``code_key``): the summary
  ``validate`` prints (and ``build`` keeps its own, see ``build.state``). Any change re-runs every cross-file
  check, so a file that refers to a changed one is re-checked too.

The cache lives in the user's cache folder (``$XDG_CACHE_HOME/coursepack``), never in the
catalogue or the output folder; a damaged or unreadable cache is simply ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from packager import model, utils
from packager.utils.atomic import sweep_leftovers, write_bytes_atomic
from packager.utils.inside import contained_file
from packager.utils.sourcekey import source_key


@lru_cache(maxsize=1)
def code_key() -> str:
    """Changes when the validator's code changes: this floor and the utilities below it. (What
    ``build`` makes of a catalogue is keyed by ``build`` itself, see ``build.state``.)"""
    return source_key(model, utils)


def cache_folder(root: Path) -> Path | None:
    """The catalogue's cache folder: ``whole.pickle`` and one small file per course file."""
    if os.environ.get("COURSEPACK_NO_CACHE"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursepack"
    return base / f"validation-{hashlib.sha256(str(root).encode()).hexdigest()[:20]}"


def _load(path: Path | None) -> Any:
    if path is None:
        return None
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, damaged, written by another version: start afresh
        return None
    return data["value"] if isinstance(data, dict) and data.get("code") == code_key() else None


def _save(path: Path | None, value: Any) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, pickle.dumps({"code": code_key(), "value": value}, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs time


def _plain(value: Any) -> tuple[str, bytes]:
    """A course file's data and source map, as plain values: ``marshal`` reads a thousand
    modules' worth in tens of milliseconds, where pickled positions took most of a second."""
    try:
        return "marshal", marshal.dumps(value)
    except ValueError:  # a YAML date or binary value: marshal knows only the basic types
        return "pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _pack(entry: tuple[Any, list[Any], Any, str | None]) -> tuple[Any, ...]:
    doc, problems, course, broken_id = entry
    source = doc.source
    positions = ({path: tuple(at) for path, at in source.keys.items()},
                 {path: tuple(at) for path, at in source.values.items()}, source.block_content)
    return (str(doc.file), doc.digest, _plain((doc.data, *positions)), problems, course, broken_id)


def _unpack(packed: tuple[Any, ...]) -> tuple[tuple[Path, Any, Any, str], list[Any], Any, str | None]:
    """((file, data, source map, digest): the SourceDoc's fields, problems, course, broken id)."""
    from packager.utils.yamlload import SourceMap  # not on the no-change path, which has no YAML

    file, digest, (kind, blob), problems, course, broken_id = packed
    data, keys, values, block_content = marshal.loads(blob) if kind == "marshal" else pickle.loads(blob)
    return (Path(file), data, SourceMap(keys, values, block_content), digest), problems, course, broken_id


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
    """The whole result is read first; the per-file entries only when it does not match, each
    from its own file, so that a changed course file rewrites one entry, not the catalogue's."""

    def __init__(self, root: Path) -> None:
        self._folder = cache_folder(root)
        self._found: set[str] = set()

    def _entry(self, relative: str, digest: str) -> Path | None:
        name = hashlib.sha256(f"{relative}\0{digest}".encode()).hexdigest()[:32]
        return self._folder / "files" / f"{name}.pickle" if self._folder is not None else None

    def whole(self, key: str) -> Any:
        found = _load(self._folder / "whole.pickle" if self._folder is not None else None)
        return found[1] if isinstance(found, tuple) and found[0] == key else None

    def file(self, relative: str, digest: str) -> Any:
        path = self._entry(relative, digest)
        packed = _load(path)
        try:
            entry = _unpack(packed) if packed is not None else None
        except Exception:  # noqa: BLE001 - damaged: parsed again
            return None
        if path is not None and entry is not None:
            self._found.add(path.name)
        return entry

    def keep_files(self, entries: dict[tuple[str, str], Any]) -> None:
        """Write the entries not read from the cache; forget those of files changed or gone."""
        if self._folder is None:
            return
        wanted = set()
        for (relative, digest), entry in entries.items():
            path = self._entry(relative, digest)
            assert path is not None
            wanted.add(path.name)
            if path.name not in self._found:
                _save(path, _pack(entry))
        try:
            for old in os.scandir(self._folder / "files"):
                if old.name not in wanted and old.name.endswith(".pickle"):
                    os.unlink(old.path)
        except OSError:
            pass
        sweep_leftovers(self._folder / "files")  # what a validation killed mid-write left

    def keep_whole(self, key: str, value: Any) -> None:
        if self._folder is None:
            return
        _save(self._folder / "whole.pickle", (key, value))
        sweep_leftovers(self._folder)
        for part in ("files", "whole"):  # the single-file cache of earlier versions (megabytes of positions)
            with contextlib.suppress(OSError):
                self._folder.with_name(f"{self._folder.name}.{part}.pickle").unlink(missing_ok=True)
