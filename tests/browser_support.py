"""Chromium (Debian's, through Playwright) and a local HTTP server for the end-to-end tests."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
NODE_MODULES = BROWSER_DIR / "node_modules"
#: The flags this machine needs: no sandbox as root, and no background calls to the closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser() -> None:
    """CI installs Chromium and the npm packages; elsewhere, say what is missing."""
    missing = [str(p) for p in (CHROMIUM, NODE_MODULES / "scorm-again", NODE_MODULES / "axe-core") if not p.exists()]
    if missing:
        message = "browser tests need " + ", ".join(missing) + " (run `make test`, which installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class StaticServer:
    """Serves one folder on 127.0.0.1 (packages need http://, not file://, to find the API)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def harness_site(root: Path) -> Path:
    """The LMS harness page and scorm-again's two runtimes, in ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(BROWSER_DIR / "harness.html", root / "harness.html")
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(NODE_MODULES / "scorm-again" / "dist" / name, root / name)
    shutil.copy(NODE_MODULES / "axe-core" / "axe.min.js", root / "axe.min.js")
    return root


def unpack(package: Path, target: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(target)
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@contextlib.contextmanager
def watched_page(browser: Any, url: str) -> Iterator[Any]:
    """``url`` in a fresh context; ``page.js_errors`` lists the page's uncaught errors."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.js_errors = errors
    try:
        yield page
    finally:
        context.close()
