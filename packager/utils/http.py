"""The one HTTP transport of CoursePack, for Moodle and for the LRS, on requests + urllib3.

What it guarantees to both clients:
- an overall deadline per call: connecting is bounded, and the answer must be complete before the
  deadline (a server trickling one byte every few seconds is cut off, not waited for);
- bounded retries with backoff and jitter (urllib3's ``Retry``), for calls that are safe to repeat
  only; a call that changes something is repeated only when it surely was not processed;
- no redirect is ever followed: credentials (an LRS password, Moodle's token in a form body) would
  go with it, so a redirect is an error that names the new address;
- requests only to the configured origin: a URL elsewhere (an LRS ``more`` link, say) is refused
  before anything is sent;
- every secret redacted from every message it raises.
"""

from __future__ import annotations

import socket
import threading
from typing import Any, Iterable
from urllib.parse import quote, quote_plus, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from packager.utils.retry import Retry


class HttpFailure(Exception):
    """No usable answer from ``origin``; ``reason`` carries no secret."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class Unreachable(HttpFailure):
    """Connection refused or cut, DNS, deadline passed, or still failing after the retries."""


class Redirected(HttpFailure):
    """The server answered 3xx: not followed, since the credentials would go with it."""

    def __init__(self, origin: str, status: int, location: str) -> None:
        super().__init__(origin, f"HTTP {status}, redirect to {location or '?'} not followed")
        self.status = status
        self.location = location


class ForeignUrl(HttpFailure):
    """A URL outside the configured origin: nothing is sent there."""


class _Call:
    """One call's watchdog: the connections it used, cut off when its deadline passes (a socket
    timeout bounds each read only, so a server trickling bytes, headers included, would not be)."""

    def __init__(self) -> None:
        self.connections: list[HTTPConnection] = []
        self.expired = False
        self.lock = threading.Lock()

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for connection in self.connections:
                if connection.sock is not None:
                    try:
                        connection.sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass


_current = threading.local()  # the call the running thread is making


class _Watched:
    """A urllib3 connection that puts itself under the current call's watchdog."""

    def request(self, *args: Any, **kwargs: Any) -> None:
        call: _Call | None = getattr(_current, "call", None)
        if call is not None:
            with call.lock:
                if call.expired:
                    raise TimeoutError("deadline passed")
                call.connections.append(self)  # type: ignore[arg-type]
        super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower(), 0)
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"


class Transport:
    """One configured server (base URL, credentials, patience); see the module docstring."""

    def __init__(self, base_url: str, *, secrets: Iterable[str | None] = (), auth: tuple[str, str] | None = None,
                 headers: dict[str, str] | None = None, deadline: float = 60.0, connect_timeout: float = 10.0,
                 retry: Retry | None = None) -> None:
        self.base_url = base_url
        self.origin = origin_of(base_url)
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self.deadline = deadline
        self.connect_timeout = min(connect_timeout, deadline)
        self.retry = retry or Retry()
        self._sessions = {True: self._session(self.retry, auth, headers), False: self._session(self.retry.once(), auth, headers)}

    @staticmethod
    def _session(retry: Retry, auth: tuple[str, str] | None, headers: dict[str, str] | None) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # no ~/.netrc credentials, no proxy picked up behind the configuration's back
        adapter = _Adapter(max_retries=retry)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.auth = auth
        session.headers.update({"User-Agent": "coursepack", **(headers or {})})
        return session

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            for form in (secret, quote(secret, safe=""), quote_plus(secret)):
                text = text.replace(form, "***")
        return text

    def resolve(self, link: str) -> str:
        """``link`` (relative, or absolute on the same origin) as an absolute URL; anything else is refused."""
        url = urljoin(self.base_url, link)
        if origin_of(url) != self.origin:
            raise ForeignUrl(self.origin, self.redact(f"link to another server refused: {url[:200]}"))
        return url

    def request(self, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> requests.Response:
        """One call, answer complete (body read) before the deadline; 3xx raise ``Redirected``.

        4xx and 5xx answers are returned (after the retries): what they mean is the caller's business."""
        url = self.resolve(url)
        call = _current.call = _Call()
        watchdog = threading.Timer(self.deadline, call.expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            response = self._send(method, url, idempotent, call, **kwargs)
            try:
                if 300 <= response.status_code < 400:
                    raise Redirected(self.origin, response.status_code, self.redact(response.headers.get("Location", "")))
                response._content = self._read(response, call)  # noqa: SLF001 - requests' own cache of the body
            finally:
                response.close()
        finally:
            watchdog.cancel()
            _current.call = None
        return response

    def _timeout(self) -> Unreachable:
        return Unreachable(self.origin, f"Timeout (no complete answer within {self.deadline:g} s)")

    def _send(self, method: str, url: str, idempotent: bool, call: _Call, **kwargs: Any) -> requests.Response:
        try:
            return self._sessions[idempotent].request(
                method, url, timeout=(self.connect_timeout, self.deadline), allow_redirects=False, stream=True, **kwargs)
        except requests.RequestException as exc:
            if call.expired or isinstance(exc, requests.exceptions.Timeout):
                raise self._timeout() from None
            if isinstance(exc, requests.exceptions.RetryError):
                raise Unreachable(self.origin, self.redact(f"still failing after retries ({_cause(exc)})")) from None
            raise Unreachable(self.origin, self.redact(f"{type(exc).__name__} ({_cause(exc)})")) from None

    def _read(self, response: requests.Response, call: _Call) -> bytes:
        chunks = []
        while True:
            try:
                chunk = response.raw.read1(65536)
            except Exception as exc:  # noqa: BLE001 - urllib3 raises several kinds; all mean "no complete answer"
                if call.expired:
                    raise self._timeout() from None
                raise Unreachable(self.origin, self.redact(f"answer cut ({type(exc).__name__})")) from None
            if call.expired:
                raise self._timeout()
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _cause(exc: BaseException) -> str:
    """The innermost reason requests and urllib3 give (e.g. ``NewConnectionError``), without the URL."""
    inner = exc
    for _ in range(6):
        nxt = getattr(inner, "reason", None)
        if not isinstance(nxt, BaseException):
            nxt = inner.args[0] if inner.args and isinstance(inner.args[0], BaseException) else None
        if nxt is None:
            break
        inner = nxt
    return type(inner).__name__
