"""The build pipeline every format shares: check, decide what changed, build, write atomically.

A package is rebuilt only when one of its inputs changed: the tool version and whatever its
builder declares it reads (``Player.inputs``: the module and its course, the catalogue settings,
its media and the files its texts link to, the templates, player sources and words it renders,
the image recipe when screenshots are shrunk). The digest of those inputs is kept beside the
packages, so an unchanged module costs one hash, not a zip.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager import __version__
from packager.packaging.activities import catalogue_activities
from packager.packaging.builders import BUILDERS
from packager.packaging.builders.base import Builder
from packager.packaging.builders.player import Player
from packager.packaging.state import ACTIVITIES_FILE, STATE_FILE, inputs_key
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.resources import templates_dir
from packager.utils.atomic import sweep_leftovers, write_bytes_atomic, write_if_changed
from packager.utils.detzip import Compressed, deterministic_zip
from packager.utils.statefile import read_state, write_state



@dataclass
class BuildResult:
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def memo_name(unit: ModuleUnit) -> str:
    """``messagerie.lire-ses-messages.fiche.html``: the module's fiche mémo, beside its packages."""
    return f"{unit.key.replace('/', '.')}.fiche.html"


def package_name(unit: ModuleUnit, fmt: str) -> str:
    """``messagerie.lire-ses-messages.scorm12.zip``: one file per module and format."""
    return f"{unit.key.replace('/', '.')}.{fmt}.zip"


def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=4096)
def _file_digest(real: Path, size: int, mtime_ns: int) -> bytes:
    """A media file's digest, read once per build even when a hundred modules show it."""
    return hashlib.sha256(real.read_bytes()).digest()


def _media_digest(player: Player, written: str) -> bytes:
    real = player.file_inside(written)
    if real is None:
        return b"absent"
    stat = real.stat()
    return _file_digest(real, stat.st_size, stat.st_mtime_ns)


class InputDigests:
    """The digest of what each package is made from, as its player declares it (``Player.inputs``):
    the pipeline hashes nothing else, so a new input is declared where it is read. The files of
    ``templates/`` are hashed once per player; pydantic's own JSON keeps the rest cheap at a
    thousand modules."""

    def __init__(self, player: Player) -> None:
        self.player = player
        self._templates: dict[tuple[str, ...], bytes] = {}

    def of(self, unit: ModuleUnit) -> str:
        inputs = self.player.inputs(unit)
        digest = hashlib.sha256()
        for part in (__version__, *inputs.values):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(self._templates_part(inputs.templates))
        for written in inputs.media:  # linked files included (``[la fiche](media/….pdf)``)
            digest.update(written.encode())
            digest.update(_media_digest(self.player, written))
        return digest.hexdigest()

    def _templates_part(self, names: tuple[str, ...]) -> bytes:
        if names not in self._templates:
            folder = templates_dir()
            digest = hashlib.sha256()
            for name in names:
                digest.update(name.encode() + b"\0" + hashlib.sha256((folder / name).read_bytes()).digest())
            self._templates[names] = digest.digest()
        return self._templates[names]


def builder_for(catalogue: Catalogue, fmt: str) -> Builder:
    """The builder of one output format, on its own template environment."""
    return BUILDERS[fmt](catalogue, template_environment())


def _write_all(files: list[tuple[Path, bytes]]) -> None:
    for target, data in files:
        write_bytes_atomic(target, data)


def _built(state: dict[str, str], result: BuildResult, name: str, digest: str, target: Path) -> None:
    state[name] = digest
    result.built.append(target)


class _Writer:
    """Packages written, each atomically, by one thread while the next module is rendered: the
    disk's waits (``fsync``) overlap the work instead of adding to it. A package counts as built
    once its files are on disk; a write's error is raised in the building thread, in order."""

    #: packages rendered ahead of the disk at most (their bytes wait in memory)
    AHEAD = 4

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coursepack-write")
        self._pending: deque[tuple[Future[None], Callable[[], None]]] = deque()

    def submit(self, files: list[tuple[Path, bytes]], done: Callable[[], None]) -> None:
        self._pending.append((self._pool.submit(_write_all, files), done))
        while self._pending and (len(self._pending) > self.AHEAD or self._pending[0][0].done()):
            self._settle()

    def _settle(self) -> None:
        future, done = self._pending.popleft()
        future.result()
        done()

    def finish(self) -> None:
        while self._pending:
            self._settle()

    def close(self) -> None:
        """After a failure: let the write under way end, drop those not begun, keep what was written."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        for future, done in self._pending:
            if future.done() and not future.cancelled() and future.exception() is None:
                done()
        self._pending.clear()


#: from this many packages to build, the other cores help (below, starting workers costs more)
PARALLEL_FROM = 48
_JOB: tuple[Any, Compressed, list[ModuleUnit]] | None = None


def _render(builder: Any, compressed: Compressed, unit: ModuleUnit) -> tuple[bytes, bytes]:
    """(fiche mémo, zip) of one module."""
    return builder.render_memo(unit).encode("utf-8"), deterministic_zip(builder.package(unit), compressed)


def _render_job(index: int) -> tuple[bytes, bytes]:
    assert _JOB is not None
    builder, compressed, units = _JOB
    return _render(builder, compressed, units[index])


def _rendered(builder: Any, compressed: Compressed, units: list[ModuleUnit]) -> Iterator[tuple[bytes, bytes]]:
    """Each module's files, in order: rendered here, or by forked workers (one per core) that
    inherit the validated catalogue, its parsed Markdown and the player files already deflated."""
    global _JOB
    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), 8)
    if workers < 2 or len(units) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        for unit in units:
            yield _render(builder, compressed, unit)
        return
    _render(builder, compressed, units[0])  # the shared files compressed once, before the workers part
    _JOB = (builder, compressed, units)
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield from pool.imap(_render_job, range(len(units)), chunksize=4)
        pool.close()
    finally:
        _JOB = None
        pool.terminate()
        pool.join()


def build_catalogue(
    catalogue: Catalogue,
    fmt: str,
    out: Path,
    *,
    force: bool = False,
    units: list[ModuleUnit] | None = None,
    on_module: Callable[[ModuleUnit], None] | None = None,
) -> BuildResult:
    """Build one zip per module into ``out``. The catalogue must have no errors."""
    assert not catalogue.errors, "build only a validated catalogue"
    builder = builder_for(catalogue, fmt)
    digests = InputDigests(builder)
    out.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(out)
    previous = read_state(out / STATE_FILE)
    state = dict(previous.get("packages", {}))
    inputs = dict(previous.get("inputs", {}))
    every = list(catalogue.modules())
    units = units if units is not None else every
    result = BuildResult()
    compressed = Compressed()  # the player files, and media shown by several modules, deflated once
    writer = _Writer()
    try:
        wanted: list[tuple[ModuleUnit, str, str, Path, Path]] = []
        for unit in units:
            name = package_name(unit, fmt)
            target = out / name
            digest = digests.of(unit)
            memo = out / memo_name(unit)
            if not force and state.get(name) == digest and target.is_file() and memo.is_file():
                result.unchanged.append(target)
                if on_module is not None:
                    on_module(unit)
            else:
                wanted.append((unit, name, digest, target, memo))
        for (unit, name, digest, target, memo), (page, zipped) in zip(wanted, _rendered(builder, compressed, [w[0] for w in wanted]), strict=True):
            writer.submit([(memo, page), (target, zipped)], partial(_built, state, result, name, digest, target))
            if on_module is not None:
                on_module(unit)
        writer.finish()
        if catalogue.fingerprint and [u.key for u in units] == [u.key for u in every]:
            inputs[fmt] = {"key": inputs_key(catalogue.fingerprint, fmt), "packages": [package_name(u, fmt) for u in units],
                           "memos": [memo_name(u) for u in units]}
    finally:  # what was built before a failure stays known as built
        writer.close()
        new_state = {"packages": state, "inputs": inputs}
        if new_state != previous:
            write_state(out / STATE_FILE, new_state)
    if result.built or inputs != previous.get("inputs") or not (out / ACTIVITIES_FILE).is_file():
        # one activity a line: readable, and the C encoder (an indented dump is pure Python, slow)
        lines = (json.dumps(activity, ensure_ascii=False) for activity in catalogue_activities(catalogue))
        definitions = "[\n" + ",\n".join(lines) + "\n]\n"
        write_if_changed(out / ACTIVITIES_FILE, definitions.encode("utf-8"))
    return result
