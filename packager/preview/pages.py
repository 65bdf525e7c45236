"""What the preview shows, independent of the web server: each page as (status, body, type).

A catalogue with errors still gets every page that can be built, with the problems on top, and
every page carries the live-reload script, so that an open tab recovers by itself once the
mediator fixes the file. Nothing here raises on a bad catalogue, and nothing reads a file outside
it (the builder reads media through ``utils.inside``); ``tests/test_preview_pages.py`` checks
both on mutated catalogues.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager.packaging.pipeline import InputDigests, template_environment
from packager.model.catalogue import Catalogue
from packager.model.checks import validate_catalogue
from packager.model.iri import module_iri
from packager.model.problems import Problem, field_path
from packager.preview.player import PreviewPlayer
from packager.resources import templates_dir
from packager.utils.yamlload import Position

#: The preview keeps the last statements only: a long session must not grow without bound.
MAX_STATEMENTS = 5000
_TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"


class Preview:
    """The catalogue at its last version, modules built in memory, statements the players sent."""

    def __init__(self, root: Path, lang: str = "fr") -> None:
        self.root = root.resolve()
        self.lang = lang
        self.version = 1
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._validated = 0
        self._packages: dict[str, tuple[str, dict[str, bytes]]] = {}
        self._digests: InputDigests | None = None  # of the player of the catalogue's last version
        self._statements: list[dict[str, Any]] = []
        self.pages = Environment(loader=FileSystemLoader(templates_dir() / "preview"), autoescape=True,
                                 undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    # --- the catalogue ------------------------------------------------------------------

    def changed(self) -> None:
        """A file of the catalogue was saved, added or removed (called by the file watcher)."""
        with self._lock:
            self.version += 1

    def current(self) -> tuple[int, Catalogue]:
        """The catalogue, validated again after a change."""
        with self._lock:
            if self._catalogue is None or self._validated != self.version:
                version = self.version
                self._catalogue = self._validate()
                self._validated = version
            return self._validated, self._catalogue

    def _validate(self) -> Catalogue:
        try:
            return validate_catalogue(self.root)
        except OSError as exc:  # a file vanished or cannot be read while being saved
            problem = Problem(Path(exc.filename or self.root), Position(1, 1), (), "file.unreadable",
                              {"error": exc.strerror or str(exc)})
            return Catalogue(root=self.root, settings=None, problems=[problem])

    def package(self, key: str) -> dict[str, bytes] | None:
        _version, catalogue = self.current()
        unit = catalogue.module(key)
        if unit is None or catalogue.settings is None:
            return None
        try:
            with self._lock:
                if self._digests is None or self._digests.player.catalogue is not catalogue:
                    self._digests = InputDigests(PreviewPlayer(catalogue, template_environment()))
                digest = self._digests.of(unit)
                cached = self._packages.get(key)
                if cached is None or cached[0] != digest:
                    cached = (digest, self._digests.player.package(unit))
                    self._packages[key] = cached
                return cached[1]
        except OSError:  # a media file is being saved: the next change event rebuilds it
            return None

    # --- pages ----------------------------------------------------------------------------

    def problems(self, catalogue: Catalogue) -> list[dict[str, Any]]:
        out = []
        for problem in catalogue.problems:
            what, fix = problem.text(self.lang)
            try:
                where = problem.file.relative_to(self.root)
            except ValueError:
                where = problem.file
            out.append({"where": f"{where}:{problem.position.line}:{problem.position.column}", "path": field_path(problem.path),
                        "what": what, "fix": fix, "severity": problem.severity.value})
        return out

    def _render(self, status: int, template: str, **context: Any) -> Reply:
        version, catalogue = self.current()
        body = self.pages.get_template(template).render(version=version, catalogue=catalogue,
                                                        problems=self.problems(catalogue), **context)
        return Reply(status, body.encode("utf-8"))

    def home(self) -> Reply:
        _version, catalogue = self.current()
        titles = {unit.key: unit.module.title for unit in catalogue.modules()}
        return self._render(200, "index.html.j2", titles=titles)

    def play(self, key: str) -> Reply:
        key = key.strip("/")
        _version, catalogue = self.current()
        unit = catalogue.module(key)
        if unit is None or catalogue.settings is None:
            return self._render(404, "missing.html.j2", key=key)
        unit_iri = module_iri(catalogue.settings.base_iri, unit)
        return self._render(200, "simulator.html.j2", unit=unit, key=key, unit_iri=unit_iri)

    def package_file(self, key: str, name: str) -> Reply:
        files = self.package(key)
        name = name or "index.html"
        if files is None or name not in files:  # only what the builder put in: never a path of the disk
            return Reply(404, b"Fichier absent de ce module.", "text/plain; charset=utf-8")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith(_TEXT_TYPES):
            kind += "; charset=utf-8"
        return Reply(200, files[name], kind)

    # --- the LRS the players talk to --------------------------------------------------------

    def statements(self, registration: str) -> list[dict[str, Any]]:
        with self._lock:
            return [s for s in self._statements if (s.get("context") or {}).get("registration") == registration]

    def receive(self, body: bytes) -> list[str]:
        """Statements POSTed or PUT by a player (one or a list); returns their ids."""
        try:
            received = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            return []
        statements = [s for s in (received if isinstance(received, list) else [received]) if isinstance(s, dict)]
        with self._lock:
            self._statements.extend(statements)
            del self._statements[:-MAX_STATEMENTS]
        return [str(s.get("id", "")) for s in statements]
