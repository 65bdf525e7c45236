"""``coursepack preview``: a local web server (127.0.0.1 only) for mediators.

The home page lists the catalogue by tool and by job, with the validation problems if any. Each
module plays in an LMS simulator: the page gives the package a SCORM 1.2 API and shows its data
model live, and the package also sends, to this server, the xAPI statements the xAPI build would
send. Saving a YAML file or a media file changes the catalogue's version: open pages reload, and
the module is rebuilt from the new files.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager.build.pipeline import input_digest, template_environment
from packager.model.catalogue import Catalogue
from packager.model.checks import validate_catalogue
from packager.model.iri import module_iri
from packager.model.problems import field_path
from packager.preview.builder import PreviewBuilder
from packager.resources import templates_dir


def catalogue_version(root: Path) -> str:
    """Changes whenever a file of the catalogue (YAML or media) is saved, added or removed."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:16]


class Preview:
    """What the server knows: the catalogue at its last version, built modules, logged statements."""

    def __init__(self, root: Path, lang: str = "fr") -> None:
        self.root = root.resolve()
        self.lang = lang
        self.lock = threading.Lock()
        self._version = ""
        self.catalogue: Catalogue | None = None
        self._packages: dict[str, tuple[str, dict[str, bytes]]] = {}
        self.statements: list[dict[str, Any]] = []
        self.pages = Environment(loader=FileSystemLoader(templates_dir() / "preview"), autoescape=True,
                                 undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def current(self) -> tuple[str, Catalogue]:
        """The catalogue, validated again when its files changed."""
        version = catalogue_version(self.root)
        with self.lock:
            if version != self._version or self.catalogue is None:
                self.catalogue = validate_catalogue(self.root)
                self._version = version
            return self._version, self.catalogue

    def package(self, key: str) -> dict[str, bytes] | None:
        _version, catalogue = self.current()
        unit = catalogue.module(key)
        if unit is None:
            return None
        digest = input_digest(catalogue, unit, "preview")
        with self.lock:
            cached = self._packages.get(key)
            if cached is None or cached[0] != digest:
                files = PreviewBuilder(catalogue, template_environment()).package(unit)
                self._packages[key] = cached = (digest, files)
            return cached[1]

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

    def render(self, template: str, **context: Any) -> bytes:
        version, catalogue = self.current()
        return self.pages.get_template(template).render(version=version, catalogue=catalogue,
                                                        problems=self.problems(catalogue), **context).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet terminal
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, value: Any, status: int = 200) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json")

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlparse(self.path)
        path = unquote(url.path)
        preview = self.preview
        if path == "/":
            _version, catalogue = preview.current()
            titles = {unit.key: unit.module.title for unit in catalogue.modules()}
            self._send(200, preview.render("index.html.j2", titles=titles))
        elif path == "/api/version":
            self._json({"version": preview.current()[0]})
        elif path == "/api/statements":
            registration = parse_qs(url.query).get("registration", [""])[0]
            self._json([s for s in preview.statements if s.get("context", {}).get("registration") == registration])
        elif path.startswith("/play/"):
            key = path[len("/play/"):].strip("/")
            _version, catalogue = preview.current()
            unit = catalogue.module(key)
            if unit is None:
                self._send(404, preview.render("missing.html.j2", key=key))
            else:
                assert catalogue.settings is not None
                unit_iri = module_iri(catalogue.settings.base_iri, unit)
                self._send(200, preview.render("simulator.html.j2", unit=unit, key=key, unit_iri=unit_iri))
        elif path.startswith("/pkg/"):
            course, module, *rest = path[len("/pkg/"):].split("/", 2) + [""]
            files = preview.package(f"{course}/{module}")
            name = rest[0] or "index.html"
            if files is None or name not in files:
                self._send(404, b"Not found", "text/plain")
            else:
                kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
                self._send(200, files[name], kind + ("; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""))
        elif path.startswith("/lrs/activities/state"):
            self._send(404, b"", "application/json")  # no State API here: the player resumes from the browser
        else:
            self._send(404, b"Not found", "text/plain")

    def _read_json(self) -> Any:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            return json.loads(body.decode("utf-8"))
        except ValueError:
            return None

    def do_POST(self) -> None:  # noqa: N802
        if urlparse(self.path).path == "/lrs/statements":
            received = self._read_json()
            statements = received if isinstance(received, list) else [received]
            self.preview.statements.extend(s for s in statements if isinstance(s, dict))
            self._json([s.get("id") for s in statements if isinstance(s, dict)])
        else:
            self._send(404, b"Not found", "text/plain")

    def do_PUT(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        if path == "/lrs/statements":
            received = self._read_json()
            if isinstance(received, dict):
                self.preview.statements.append(received)
            self._send(204, b"", "application/json")
        elif path == "/lrs/activities/state":
            self._read_json()
            self._send(404, b"", "application/json")
        else:
            self._send(404, b"Not found", "text/plain")


class PreviewServer:
    def __init__(self, root: Path, port: int = 0, lang: str = "fr") -> None:
        self.preview = Preview(root, lang)
        handler = type("Handler", (_Handler,), {"preview": self.preview})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def start(self) -> "PreviewServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
