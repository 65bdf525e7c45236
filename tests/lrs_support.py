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
from typing import Any
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlsplit

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


#: When the strict LRS stores its first statement (then one second per statement).
STORED_FROM = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


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
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _StrictHandler)
        self._server.lrs = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.endpoint = f"http://127.0.0.1:{self._server.server_port}/xAPI/"

    def statements(self) -> list[dict]:
        return [self.stored[i] for i in self.order]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _StrictHandler(BaseHTTPRequestHandler):
    """One request to a ``StrictLrs`` (``self.server.lrs``), answered as ADL's reference LRS."""

    server: Any  # the ThreadingHTTPServer, carrying ``lrs``

    @property
    def lrs(self) -> StrictLrs:
        return self.server.lrs

    def log_message(self, *args) -> None:
        pass

    # --- answering ---------------------------------------------------------------------------

    def _send(self, status: int, body: bytes | dict | list, content_type: str = "application/json",
              headers: dict | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        if self.lrs.fault == "trickle-headers":  # even the status line comes one byte at a time
            head = f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(data)}\r\n\r\n"
            self._trickle(head.encode() + data)
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.lrs.fault == "trickle":
            self._trickle(data)
            return
        self.wfile.write(data)

    def _trickle(self, data: bytes) -> None:
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.2)

    def _common(self) -> bool:
        """The faults and checks of every request; False when they answered it."""
        lrs = self.lrs
        lrs.auth_headers.append(self.headers.get("Authorization"))
        if lrs.fault == "redirect":
            self._send(307, b"", "text/plain", {"Location": "http://elsewhere.invalid/xAPI/statements"})
            return False
        if lrs.fault == "html":
            self._send(200, b"<html><body>Please log in</body></html>", "text/html")
            return False
        if lrs.fault == "429":
            lrs.fault = None
            self._send(429, {"message": "slow down"}, headers={"Retry-After": "1"})
            return False
        if self.headers.get("X-Experience-API-Version") is None:
            self._send(400, {"message": "X-Experience-API-Version header missing"})
            return False
        return True

    # --- POST: store a batch, all or nothing -------------------------------------------------

    def do_POST(self) -> None:
        lrs = self.lrs
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self._common():
            return
        if lrs.refuse and lrs.refuse.encode() in body:
            self._send(400, {"message": "Invalid field(s) found in Statement - rule 42"})
            return
        statements = json.loads(body)
        statements = statements if isinstance(statements, list) else [statements]
        lrs.requests.append(("POST", self.path, len(statements)))
        if lrs.fault == "empty-ids":  # 200 and an empty list, nothing stored
            self._send(200, [])
            return
        refusal = self._refusal(statements)
        if refusal is not None:
            self._send(*refusal)
            return
        self._store(statements)
        self._send(200, [s["id"] for s in statements])

    def _refusal(self, statements: list[dict]) -> tuple[int, dict] | None:
        """Why the whole batch is refused, as ADL's LRS says it, or None."""
        if len(statements) > self.lrs.max_batch:
            return 413, {"message": "Request entity too large"}
        for statement in statements:
            score = (statement.get("result") or {}).get("score") or {}
            if "raw" in score and not score.get("min", score["raw"]) <= score["raw"] <= score.get("max", score["raw"]):
                return 400, {"message": "Score raw value in statement result must be between minimum and maximum"}
            if statement["id"] in self.lrs.stored:
                return 409, {"message": f"A statement with ID {statement['id']} already exists"}
        return None

    def _store(self, statements: list[dict]) -> None:
        """Each statement stored one second after the one before (a fixed origin: tests compare
        ``stored`` with ``since``, never with the clock)."""
        lrs = self.lrs
        for statement in statements:
            when = STORED_FROM + datetime.timedelta(seconds=len(lrs.order))
            lrs.stored[statement["id"]] = {**statement, "stored": when.isoformat().replace("+00:00", "Z"),
                                           "authority": {"mbox": "mailto:lrs@example.org"}, "version": "1.0.0"}
            lrs.order.append(statement["id"])

    # --- GET: one statement, or a filtered page ----------------------------------------------

    def do_GET(self) -> None:
        lrs = self.lrs
        if not self._common():
            return
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        lrs.requests.append(("GET", self.path, 0))
        if "statementId" in query:
            found = lrs.stored.get(query["statementId"])
            self._send(200, found) if found else self._send(404, {"message": "not found"})
            return
        if not lrs.filters:
            query = {k: v for k, v in query.items() if k in ("since", "offset", "limit")}
        ids = self._matching(query)
        start = int(query.get("offset", 0))
        page = ids[start:start + lrs.page_size]
        self._send(200, {"statements": [lrs.stored[i] for i in page], "more": self._more(query, start, len(ids))})

    def _matching(self, query: dict[str, str]) -> list[str]:
        """The ids the query's filters keep, in storing order (as ADL filters them)."""
        stored = self.lrs.stored
        since = _time(query["since"]) if query.get("since") else None
        ids = [i for i in self.lrs.order
               if since is None or not isinstance(stored[i], dict) or _time(stored[i]["stored"]) > since]
        if "activity" in query:  # the object, or any context activity if related
            ids = [i for i in ids if isinstance(stored[i], dict) and _about(stored[i], query["activity"],
                                                                            query.get("related_activities") == "true")]
        if "registration" in query:
            ids = [i for i in ids if isinstance(stored[i], dict)
                   and ((stored[i].get("context") or {}).get("registration")) == query["registration"]]
        if "agent" in query:  # the actor's identifier (mbox, account…)
            wanted = json.loads(query["agent"])
            ids = [i for i in ids if isinstance(stored[i], dict) and stored[i].get("actor") == wanted]
        return ids

    def _more(self, query: dict[str, str], start: int, total: int) -> str:
        """The ``more`` link of a page (or the fault's)."""
        if self.lrs.fault == "foreign-more":
            return "http://elsewhere.invalid/xAPI/statements?offset=1"
        if self.lrs.fault == "self-more":
            return "/xAPI/statements?offset=0"
        if start + self.lrs.page_size >= total:
            return ""
        kept = ("since", "activity", "related_activities", "agent", "registration")
        filters = "".join(f"&{k}={quote(query[k])}" for k in kept if query.get(k))
        return f"/xAPI/statements?offset={start + self.lrs.page_size}{filters}"


@pytest.fixture
def strict_lrs() -> Iterator[StrictLrs]:
    server = StrictLrs()
    yield server
    server.close()
