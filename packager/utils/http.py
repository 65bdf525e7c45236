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

import time
from typing import Any, Iterable
from urllib.parse import quote, quote_plus, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

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
        adapter = HTTPAdapter(max_retries=retry)
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
        end = time.monotonic() + self.deadline
        try:
            response = self._sessions[idempotent].request(
                method, url, timeout=(self.connect_timeout, self.deadline), allow_redirects=False, stream=True, **kwargs)
        except requests.exceptions.RetryError as exc:
            raise Unreachable(self.origin, self.redact(f"still failing after retries ({_cause(exc)})")) from None
        except requests.exceptions.Timeout:
            raise Unreachable(self.origin, f"Timeout (no answer within {self.deadline:g} s)") from None
        except requests.RequestException as exc:
            raise Unreachable(self.origin, self.redact(f"{type(exc).__name__} ({_cause(exc)})")) from None
        try:
            if 300 <= response.status_code < 400:
                raise Redirected(self.origin, response.status_code, self.redact(response.headers.get("Location", "")))
            response._content = self._read(response, end)  # noqa: SLF001 - requests' own cache of the body
        finally:
            response.close()
        return response

    def _read(self, response: requests.Response, end: float) -> bytes:
        chunks = []
        raw = response.raw
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise Unreachable(self.origin, f"Timeout (answer incomplete after {self.deadline:g} s)")
            sock = getattr(getattr(raw, "_connection", None), "sock", None)
            if sock is not None:  # no single read may outlast the deadline
                sock.settimeout(remaining)
            try:
                chunk = raw.read1(65536)
            except Exception as exc:  # noqa: BLE001 - urllib3 raises several kinds; all mean "no complete answer"
                if time.monotonic() >= end:
                    raise Unreachable(self.origin, f"Timeout (answer incomplete after {self.deadline:g} s)") from None
                raise Unreachable(self.origin, self.redact(f"answer cut ({type(exc).__name__})")) from None
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
