"""An xAPI 1.0.3 client for the statements resource, written to the spec rather than to one LRS.

LRSs differ where the spec leaves room: Ralph answers 204 to a statement id it already holds,
ADL's reference LRS answers 409 to any re-used id (and 400 without the version header). Our
statement ids are deterministic, so a re-used id means "already stored": on a 409 the batch is
sent again one statement at a time (PUT), and a 409 on one statement counts as stored.
"""

from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urljoin

import requests

from packager.utils.retry import Retry

XAPI_VERSION = "1.0.3"


class LrsError(Exception):
    """The LRS refused the request (4xx other than a duplicate id): retrying will not help."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


class LrsUnavailable(Exception):
    """No answer, or a 5xx: the LRS may be back later."""

    def __init__(self, endpoint: str, reason: str) -> None:
        super().__init__(f"{endpoint}: {reason}")
        self.endpoint = endpoint
        self.reason = reason


class LrsClient:
    def __init__(self, endpoint: str, username: str | None, password: str | None, *, timeout: float = 30.0,
                 retry: Retry | None = None) -> None:
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        self.timeout = timeout
        self.retry = retry or Retry()
        self.session = requests.Session()
        if username is not None:
            self.session.auth = (username, password or "")
        self.session.headers.update({"X-Experience-API-Version": XAPI_VERSION, "User-Agent": "coursepack"})

    def __repr__(self) -> str:
        return f"LrsClient({self.endpoint!r})"

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        delay = self.retry.first_delay
        for attempt in range(1, self.retry.attempts + 1):
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
                if response.status_code < 500:
                    return response
                reason = f"HTTP {response.status_code}"
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = type(exc).__name__
            if attempt == self.retry.attempts:
                raise LrsUnavailable(self.endpoint, reason)
            self.retry.sleep(delay)
            delay *= self.retry.factor
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _refused(response: requests.Response) -> LrsError:
        return LrsError(response.status_code, response.text[:300])

    def send(self, statements: list[dict[str, Any]]) -> None:
        """Store a batch; statements already stored (same id) count as stored."""
        if not statements:
            return
        response = self._request("POST", self.endpoint + "statements", json=statements)
        if response.status_code in (200, 204):
            return
        if response.status_code != 409:
            raise self._refused(response)
        for statement in statements:
            single = self._request("PUT", self.endpoint + "statements", params={"statementId": statement["id"]},
                                   json=statement)
            if single.status_code not in (204, 409):
                raise self._refused(single)

    def statements(self, **params: Any) -> Iterator[dict[str, Any]]:
        """Every statement matching the query, following the ``more`` links."""
        url: str | None = self.endpoint + "statements"
        query: dict[str, Any] | None = params
        while url:
            response = self._request("GET", url, params=query)
            if response.status_code != 200:
                raise self._refused(response)
            page = response.json()
            yield from page.get("statements", [])
            more = page.get("more")
            url = urljoin(self.endpoint, more) if more else None
            query = None
