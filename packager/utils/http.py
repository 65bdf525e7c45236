"""The one HTTP transport of CoursePack, for Moodle and for the LRS, on requests + urllib3.

What it guarantees to both clients:
- an address that can be used: one without ``https://`` (``moodle.example.fr``) is said so, with
  how to write it, before anything is sent;
- an overall deadline per call: the answer, body included, must be complete before it (a server
  trickling one byte every few seconds, headers included, is given up on, not waited for). The
  call runs in a worker thread the caller waits for up to the deadline: urllib3's timeouts bound
  each read only, and its public interface offers no hold on the socket while headers arrive;
- the retry policy of :mod:`packager.utils.retry` (urllib3's ``Retry``), for calls safe to repeat;
  a call that changes something is repeated only when it surely was not processed. What is still
  429 or 5xx after it is ``Unreachable``, saying when the server asks to come back if it does;
- no redirect is ever followed: credentials (an LRS password, Moodle's token in a form body) would
  go with it, so a redirect is an error that names the new address;
- requests only to the configured origin: a URL elsewhere (an LRS ``more`` link, say) is refused
  before anything is sent;
- every secret redacted from every message it raises, and every reason worded for people
  (:class:`~packager.utils.reasons.Reason`, French and English), never an exception class name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus, urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from packager.utils.reasons import Reason
from packager.utils.retry import Retry


class HttpFailure(Exception):
    """No usable answer from ``origin``; ``reason`` carries no secret."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class Unreachable(HttpFailure):
    """Connection refused or cut, DNS, deadline passed, or still 429/5xx after the retries."""


class BadAddress(HttpFailure):
    """The configured address cannot be used as it is written (no ``https://``, no host)."""


class Redirected(HttpFailure):
    """The server answered 3xx: not followed, since the credentials would go with it."""

    def __init__(self, origin: str, status: int, location: str) -> None:
        super().__init__(origin, Reason("redirect", status=status, location=location or "?"))
        self.status = status
        self.location = location


class ForeignUrl(HttpFailure):
    """A URL outside the configured origin: nothing is sent there."""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower(), 0)
    return f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}:{port}"


def address_problem(url: str) -> Reason | None:
    """Why ``url`` cannot be called as written, with the form to write instead; None when it can."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.hostname:
        return None
    bare = url.strip().split("://", 1)[-1].lstrip("/").rstrip("/")
    return Reason("address", address=url.strip().rstrip("/"), suggestion=f"https://{bare or 'moodle.example.fr'}")


class _Outcome:
    """What the worker thread of one call hands back: the response or the failure."""

    def __init__(self) -> None:
        self.response: requests.Response | None = None
        self.failure: HttpFailure | None = None


class Transport:
    """One configured server (base URL, credentials, patience); see the module docstring."""

    def __init__(self, base_url: str, *, secrets: Iterable[str | None] = (), auth: tuple[str, str] | None = None,
                 headers: dict[str, str] | None = None, deadline: float = 60.0, connect_timeout: float = 10.0,
                 retry: Retry | None = None) -> None:
        self.base_url = base_url
        self.origin = origin_of(base_url)
        self.problem = address_problem(base_url)
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self.deadline = deadline
        self.connect_timeout = min(connect_timeout, deadline)
        self.retry = retry or Retry()
        self._auth, self._headers = auth, headers
        self._session, self._adapter = self._new_session()

    def _new_session(self) -> tuple[requests.Session, HTTPAdapter]:
        session = requests.Session()
        session.trust_env = False  # no ~/.netrc credentials, no proxy picked up behind the configuration's back
        adapter = HTTPAdapter(max_retries=self.retry)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.auth = self._auth
        session.headers.update({"User-Agent": "coursepack", **(self._headers or {})})
        return session, adapter

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            for form in (secret, quote(secret, safe=""), quote_plus(secret)):
                text = text.replace(form, "***")
        return text

    def resolve(self, link: str) -> str:
        """``link`` (relative, or absolute on the same origin) as an absolute URL; anything else is refused."""
        url = urljoin(self.base_url, link)
        if origin_of(url) != self.origin:
            raise ForeignUrl(self.origin, Reason("foreign", url=self.redact(url[:200])))
        return url

    def request(self, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> requests.Response:
        """One call, answer complete (body read) before the deadline; 3xx raise ``Redirected``,
        429 and 5xx (after the retries) ``Unreachable``. Other 4xx are returned: what they mean is
        the caller's business."""
        if self.problem is not None:
            raise BadAddress(self.origin, self.problem)
        url = self.resolve(url)
        # one adapter per session and one call at a time per Transport (a client per thread)
        self._adapter.max_retries = (self.retry if idempotent else self.retry.once()).within(self.deadline)
        outcome = _Outcome()
        worker = threading.Thread(target=self._call, args=(outcome, self._session, method, url, kwargs), daemon=True)
        worker.start()
        worker.join(self.deadline)
        if worker.is_alive():  # left to end on its own (each read is bounded); its session with it
            self._session, self._adapter = self._new_session()
            raise Unreachable(self.origin, Reason("timeout", seconds=self.deadline))
        if outcome.failure is not None:
            raise outcome.failure
        assert outcome.response is not None
        return outcome.response

    def _call(self, outcome: _Outcome, session: requests.Session, method: str, url: str, kwargs: dict[str, Any]) -> None:
        try:
            response = session.request(method, url, timeout=(self.connect_timeout, self.deadline),
                                       allow_redirects=False, stream=True, **kwargs)
        except requests.RequestException as exc:
            outcome.failure = Unreachable(self.origin, self._reason(exc))
            return
        except Exception:  # noqa: BLE001 - urllib3 lets a few of its own through (a malformed header, say)
            outcome.failure = Unreachable(self.origin, Reason("failed"))
            return
        try:
            if 300 <= response.status_code < 400:
                raise Redirected(self.origin, response.status_code, self.redact(response.headers.get("Location", "")))
            if response.status_code == 429 or response.status_code >= 500:
                raise Unreachable(self.origin, self._refusal(response))
            _ = response.content  # the whole body, read here, under the deadline
            outcome.response = response
        except requests.RequestException:
            outcome.failure = Unreachable(self.origin, Reason("answer_cut"))
        except HttpFailure as failure:
            outcome.failure = failure
        finally:
            response.close()

    def _refusal(self, response: requests.Response) -> Reason:
        """A 429 or 5xx still there after the retries: when the server asks to come back, if it says."""
        retries = response.raw.retries if isinstance(response.raw, urllib3.BaseHTTPResponse) else None
        tries = len(retries.history) + 1 if retries is not None else 1
        header = response.headers.get("Retry-After")
        if header is not None and response.status_code in (429, 503):
            try:
                wait = self.retry.parse_retry_after(header)
            except urllib3.exceptions.InvalidHeader:
                wait = None
            if wait is not None:
                return Reason("busy", status=response.status_code, wait=wait)
        return Reason("status", status=response.status_code, tries=tries)

    def _reason(self, exc: requests.RequestException) -> Reason:
        """What went wrong, from the chain requests and urllib3 give; never a class name."""
        causes = list(_chain(exc))
        exhausted = 0 if any(isinstance(c, urllib3.exceptions.MaxRetryError) for c in causes) else None
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return Reason("timeout", seconds=self.connect_timeout)
        if isinstance(exc, requests.exceptions.Timeout) or any(isinstance(c, TimeoutError) for c in causes):
            return Reason("timeout", seconds=self.deadline)
        if isinstance(exc, requests.exceptions.SSLError):
            return Reason("tls")
        if isinstance(exc, (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                            requests.exceptions.InvalidURL)):
            return address_problem(self.base_url) or Reason("failed")
        if any(isinstance(c, urllib3.exceptions.NameResolutionError) for c in causes):
            return Reason("dns", host=urlsplit(self.base_url).hostname or "?", tries=exhausted)
        if any(isinstance(c, (urllib3.exceptions.NewConnectionError, ConnectionRefusedError)) for c in causes):
            return Reason("refused", tries=exhausted)
        if any(isinstance(c, (urllib3.exceptions.ProtocolError, ConnectionError)) for c in causes):
            return Reason("cut", tries=exhausted)
        return Reason("failed", tries=exhausted)


def _chain(exc: BaseException) -> Iterable[BaseException]:
    """``exc`` and the errors it wraps (``reason``, first argument, ``__cause__``, ``__context__``)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (getattr(current, "reason", None), current.args[0] if current.args else None,
                    current.__cause__, current.__context__):
            if isinstance(nxt, BaseException):
                todo.append(nxt)
