"""A real LRS for the tests: Ralph (ralph-malph) with its file-system backend, on 127.0.0.1."""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import bcrypt
import pytest
import requests

from polling import poll

USERNAME = "coursepack"
PASSWORD = "lrs-secret-for-tests"

# Ralph 5.x's file-system LRS backend writes with its default operation type, CREATE, which
# refuses an existing file: every write after the first fails. Workaround, in the test harness
# only: start Ralph with APPEND as the default operation type of that backend.
_SERVER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
from ralph.api import app
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Ralph:
    """Start, stop and restart one Ralph LRS keeping its data folder."""

    def __init__(self, root: Path, cors_origins: list[str] | None = None) -> None:
        self.root = root
        self.cors_origins = cors_origins or []
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.process: subprocess.Popen | None = None
        (root / "data").mkdir(parents=True, exist_ok=True)
        hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt()).decode()
        (root / "auth.json").write_text(json.dumps([{"agent": {"mbox": "mailto:coursepack@example.org"},
                                                     "scopes": ["all"], "hash": hashed, "username": USERNAME}]))

    def start(self) -> None:
        env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_AUTH_FILE": str(self.root / "auth.json"),
               "RALPH_APP_DIR": str(self.root / "app"),
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.root / "data")}
        if self.cors_origins:  # packages played in a browser call the LRS from another origin
            env["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps(self.cors_origins)
        self.process = subprocess.Popen([sys.executable, "-c", _SERVER, str(self.port)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=(self.root / "ralph.log").open("ab"))
        if not poll(self._beating, timeout=30, every=0.1):
            raise RuntimeError("Ralph did not start: " + (self.root / "ralph.log").read_text())

    def _beating(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).status_code == 200
        except requests.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def statements(self, **params: str) -> list[dict]:
        """Every stored statement (following ``more``)."""
        found, url, query = [], self.endpoint + "statements", {"limit": "500", **params}
        while url:
            page = requests.get(url, params=query, auth=(USERNAME, PASSWORD), headers={"X-Experience-API-Version": "1.0.3"},
                                timeout=10).json()
            found += page["statements"]
            url = f"http://127.0.0.1:{self.port}{page['more']}" if page.get("more") else None
            query = None
        return found


@pytest.fixture
def ralph(tmp_path) -> Iterator[Ralph]:
    server = Ralph(tmp_path / "ralph")
    server.start()
    yield server
    server.stop()


def _time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _about(statement: dict, activity: str, related: bool) -> bool:
    if (statement.get("object") or {}).get("id") == activity:
        return True
    lists = ((statement.get("context") or {}).get("contextActivities") or {}).values() if related else []
    return any(isinstance(group, list) and any(a.get("id") == activity for a in group) for group in lists)


class StrictLrs:
    """An LRS front that answers as ADL's reference LRS does (../shared/lrs/README.md): 409 on any
    known id and the whole batch refused, 400 without X-Experience-API-Version, 400 for a score
    outside its range, a JSON list of ids on success. Faults can be injected per test:
    ``fault`` = "html" (200 with a login page), "429" (once, with Retry-After), "413" (batches
    above ``max_batch``), "trickle" (the body one byte at a time), "trickle-headers" (all of the answer so), "foreign-more" (a ``more``
    link to another host), "redirect" (307 to another host), "self-more" (``more`` to itself), "empty-ids" (200 ``[]`` to a
    POST, nothing stored)."""

    def __init__(self, page_size: int = 100) -> None:
        self.stored: dict[str, dict] = {}
        self.order: list[str] = []
        self.requests: list[tuple[str, str, int]] = []  # (method, path, batch length)
        self.fault: str | None = None
        self.refuse = ""  # a POST whose body holds this text is refused with 400, as an LRS rule of its own would
        self.max_batch = 1_000_000
        self.page_size = page_size
        self.auth_headers: list[str | None] = []
        self.down = False
        self.filters = True  # False: query filters other than since ignored, as some LRSs do
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def _send(self, status: int, body: bytes | dict | list, content_type: str = "application/json",
                      headers: dict | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                if server.fault == "trickle-headers":  # even the status line comes one byte at a time
                    raw = f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(data)}\r\n\r\n"
                    for byte in raw.encode() + data:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                    return
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if server.fault == "trickle":
                    for byte in data:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                    return
                self.wfile.write(data)

            def _common(self) -> bool:
                server.auth_headers.append(self.headers.get("Authorization"))
                if server.fault == "redirect":
                    self._send(307, b"", "text/plain", {"Location": "http://elsewhere.invalid/xAPI/statements"})
                    return False
                if server.fault == "html":
                    self._send(200, b"<html><body>Please log in</body></html>", "text/html")
                    return False
                if server.fault == "429":
                    server.fault = None
                    self._send(429, {"message": "slow down"}, headers={"Retry-After": "1"})
                    return False
                if self.headers.get("X-Experience-API-Version") is None:
                    self._send(400, {"message": "X-Experience-API-Version header missing"})
                    return False
                return True

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if not self._common():
                    return
                if server.refuse and server.refuse.encode() in body:
                    self._send(400, {"message": "Invalid field(s) found in Statement - rule 42"})
                    return
                statements = json.loads(body)
                statements = statements if isinstance(statements, list) else [statements]
                server.requests.append(("POST", self.path, len(statements)))
                if server.fault == "empty-ids":  # 200 and an empty list, nothing stored
                    self._send(200, [])
                    return
                if len(statements) > server.max_batch:
                    self._send(413, {"message": "Request entity too large"})
                    return
                for statement in statements:
                    score = (statement.get("result") or {}).get("score") or {}
                    if "raw" in score and not score.get("min", score["raw"]) <= score["raw"] <= score.get("max", score["raw"]):
                        self._send(400, {"message": "Score raw value in statement result must be between minimum and maximum"})
                        return
                    if statement["id"] in server.stored:
                        self._send(409, {"message": f"A statement with ID {statement['id']} already exists"})
                        return
                for statement in statements:
                    when = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
                        seconds=len(server.order))
                    stored = {**statement, "stored": when.isoformat().replace("+00:00", "Z"),
                              "authority": {"mbox": "mailto:lrs@example.org"}, "version": "1.0.0"}
                    server.stored[statement["id"]] = stored
                    server.order.append(statement["id"])
                self._send(200, [s["id"] for s in statements])

            def do_GET(self) -> None:  # noqa: N802
                if not self._common():
                    return
                from urllib.parse import parse_qs, urlsplit
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                server.requests.append(("GET", self.path, 0))
                if "statementId" in query:
                    found = server.stored.get(query["statementId"])
                    self._send(200, found) if found else self._send(404, {"message": "not found"})
                    return
                since = _time(query["since"]) if query.get("since") else None
                ids = [i for i in server.order if since is None or not isinstance(server.stored[i], dict)
                       or _time(server.stored[i]["stored"]) > since]
                if not server.filters:
                    query = {k: v for k, v in query.items() if k in ("since", "offset", "limit")}
                if "activity" in query:  # as ADL filters: the object, or any context activity if related
                    ids = [i for i in ids if isinstance(server.stored[i], dict) and _about(server.stored[i], query["activity"],
                                                                                         query.get("related_activities") == "true")]
                if "registration" in query:
                    ids = [i for i in ids if isinstance(server.stored[i], dict)
                           and ((server.stored[i].get("context") or {}).get("registration")) == query["registration"]]
                if "agent" in query:  # as ADL filters: the actor's identifier (mbox, account…)
                    wanted = json.loads(query["agent"])
                    ids = [i for i in ids if isinstance(server.stored[i], dict) and server.stored[i].get("actor") == wanted]
                start = int(query.get("offset", 0))
                page = ids[start:start + server.page_size]
                more = ""
                if start + server.page_size < len(ids):
                    more = f"/xAPI/statements?offset={start + server.page_size}" + "".join(
                        f"&{k}={quote(query[k])}" for k in ("since", "activity", "related_activities", "agent", "registration") if query.get(k))
                if server.fault == "foreign-more":
                    more = "http://elsewhere.invalid/xAPI/statements?offset=1"
                if server.fault == "self-more":
                    more = "/xAPI/statements?offset=0"
                self._send(200, {"statements": [server.stored[i] for i in page], "more": more})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.endpoint = f"http://127.0.0.1:{self._server.server_port}/xAPI/"

    def statements(self) -> list[dict]:
        return [self.stored[i] for i in self.order]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def strict_lrs() -> Iterator[StrictLrs]:
    server = StrictLrs()
    yield server
    server.close()
