"""A real LRS for the tests: Ralph (ralph-malph) with its file-system backend, on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import bcrypt
import pytest
import requests

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
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("Ralph did not start: " + (self.root / "ralph.log").read_text())

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
