"""An xAPI 1.0.3 client for the statements resource, written to the spec rather than to one LRS.

LRSs differ where the spec leaves room (../shared/lrs/README.md): ADL's reference LRS answers 409
to any known id and refuses a whole batch holding one; Ralph does alike. So ``store`` never trusts
a 409 on a batch: it asks the LRS which of the batch's ids it holds (the query API has no "these
ids" filter, so one query per learner of the batch, remembered for the run: a sync whose state
was lost costs one query per learner, not three requests per statement), compares each with ours
(ours → already stored; another statement under our id → a conflict, reported), and sends the
rest. Should the LRS still refuse them, the batch is split, down to one statement read back by
its id. An LRS may also answer a POST without the ids it held already (Ralph does, as the spec
allows: it must not change them); the first such id of a run is read back, then the LRS is taken
at its word. A 413 halves
the batch; a statement the LRS still refuses on its own (4xx) is returned as refused, with the
LRS's reason, so that the others go through. A 2xx is a success only when its body is the
answer the spec defines (the list of stored ids): a proxy's or a login page's 200 is an error.

The HTTP side is the shared transport: deadline, bounded retries (429 honours Retry-After),
no redirect followed, ``more`` links only on the LRS's own origin, the password never shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Iterator

import orjson
import requests

from packager.utils.http import ForeignUrl, HttpFailure, Redirected, Transport
from packager.utils.reasons import Reason
from packager.utils.retry import Retry

XAPI_VERSION = "1.0.3"
#: A bound on ``more`` pages followed by one query (500 statements a page: 50 million statements).
MAX_PAGES = 100_000
#: Status codes that say "this request's credentials or address are wrong": nothing to split.
_CONFIGURATION = (401, 403, 404, 405)


class LrsError(Exception):
    """The LRS refused the request, or answered something that is not xAPI: retrying will not help."""

    def __init__(self, status: int, detail: str, endpoint: str = "") -> None:
        super().__init__(f"{endpoint} HTTP {status}: {detail}" if endpoint else f"HTTP {status}: {detail}")
        self.status = status
        self.detail = detail
        self.endpoint = endpoint


class LrsUnavailable(Exception):
    """No answer, a 5xx or 429 after the retries: the LRS may be back later."""

    def __init__(self, endpoint: str, reason: str) -> None:
        super().__init__(f"{endpoint}: {reason}")
        self.endpoint = endpoint
        self.reason = reason


@dataclass
class Refused:
    statement: dict[str, Any]
    status: int
    reason: str


@dataclass
class StoreOutcome:
    """What became of each statement of one ``store`` call."""

    stored: list[str] = field(default_factory=list)  # stored now
    already: list[str] = field(default_factory=list)  # the LRS held this very statement already
    refused: list[Refused] = field(default_factory=list)  # refused on its own, or another statement holds its id

    def merge(self, other: StoreOutcome) -> None:
        self.stored += other.stored
        self.already += other.already
        self.refused += other.refused


def _snippet(response: requests.Response) -> str:
    text = response.content[:160].decode("utf-8", "replace")
    kind = response.headers.get("Content-Type", "?").split(";")[0]
    return f"{kind} « {' '.join(text.split())} »"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def fact_of(statement: Any) -> tuple[Any, ...]:
    """What a statement states, as far as its id was derived from it (the LRS adds ``stored``,
    ``authority``, ``version`` and may normalise the rest, which is therefore not compared)."""
    statement = _dict(statement)
    result, actor, context = _dict(statement.get("result")), _dict(statement.get("actor")), _dict(statement.get("context"))
    account = _dict(actor.get("account"))
    raw = _dict(result.get("score")).get("raw")
    parts = (actor.get("mbox"), account.get("name"), account.get("homePage"), _dict(statement.get("verb")).get("id"),
             _dict(statement.get("object")).get("id"), result.get("success"), result.get("completion"),
             float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else raw,
             str(context.get("registration", "")).lower())
    # hashable whatever an LRS sends back (a list where a string belongs, say)
    return tuple(part if part is None or isinstance(part, (str, int, float)) else repr(part) for part in parts)


def same_fact(ours: dict[str, Any], theirs: Any) -> bool:
    """Whether the stored statement states what ours states."""
    return isinstance(theirs, dict) and fact_of(ours) == fact_of(theirs)


def _agent_key(statement: dict[str, Any]) -> str:
    return json.dumps(statement.get("actor"), sort_keys=True, separators=(",", ":"))


class LrsClient:
    def __init__(self, endpoint: str, username: str | None, password: str | None, *, timeout: float = 60.0,
                 retry: Retry | None = None) -> None:
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        self.transport = Transport(self.endpoint, secrets=(password,), deadline=timeout, retry=retry,
                                   auth=(username, password or "") if username is not None else None,
                                   headers={"X-Experience-API-Version": XAPI_VERSION})
        # learner (canonical actor) → {statement id: hash of its fact} of what the LRS held when
        # first asked, plus what this client stored since: the run's answer to "which of these ids
        # are held?" (hashes: a lost state over years of statements must fit in memory)
        self._held_by_agent: dict[str, dict[str, int]] = {}
        self._omits_held = False  # seen to answer a POST without the ids it held (and they were there)

    def __repr__(self) -> str:
        return f"LrsClient({self.endpoint!r})"

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Writes of statements are safe to repeat: their ids are ours and fixed, the LRS keeps one.
        An address written without ``https://`` is ``LrsUnavailable`` with that reason (the
        commands word it as an address to fix, not as the network)."""
        try:
            response = self.transport.request(method, url, idempotent=True, **kwargs)
        except Redirected as exc:
            raise LrsError(exc.status, Reason("moved", location=exc.location or "?"), self.endpoint) from None
        except ForeignUrl as exc:
            raise LrsError(0, exc.reason, self.endpoint) from None
        except HttpFailure as exc:
            raise LrsUnavailable(self.endpoint, exc.reason) from None
        return response

    def _refused(self, response: requests.Response) -> LrsError:
        return LrsError(response.status_code, self.transport.redact(_snippet(response)), self.endpoint)

    def _json(self, response: requests.Response) -> Any:
        try:
            return orjson.loads(response.content)
        except ValueError:
            raise LrsError(response.status_code, Reason("not_xapi", snippet=self.transport.redact(_snippet(response))),
                           self.endpoint) from None

    # --- writing ---------------------------------------------------------------------------------

    def store(self, statements: list[dict[str, Any]]) -> StoreOutcome:
        """Store a batch; see the module docstring for what each answer leads to."""
        outcome = StoreOutcome()
        if statements:
            self._store(statements, outcome)
        return outcome

    def send(self, statements: list[dict[str, Any]]) -> StoreOutcome:
        """``store`` for callers that accept no refusal (the first refusal raises ``LrsError``)."""
        outcome = self.store(statements)
        if outcome.refused:
            first = outcome.refused[0]
            raise LrsError(first.status, first.reason, self.endpoint)
        return outcome

    def _store(self, batch: list[dict[str, Any]], outcome: StoreOutcome, checked: bool = False) -> None:
        """``checked``: the batch holds no id the LRS held when asked; a 409 now is split."""
        body = orjson.dumps(batch)  # compact UTF-8, five times json's speed: the client's biggest cost
        response = self._request("POST", self.endpoint + "statements", data=body,
                                 headers={"Content-Type": "application/json; charset=utf-8"})
        status = response.status_code
        reason = self.transport.redact(_snippet(response))
        if 200 <= status < 300:
            # Ralph leaves out of its answer (204 when none is left) the ids it holds already
            ids = [] if status == 204 and not response.content.strip() else self._json(response)
            wanted = {s["id"].lower(): s for s in batch}
            answered = {str(i).lower() for i in ids} if isinstance(ids, list) else None
            if answered is None or not answered <= wanted.keys():
                raise LrsError(status, Reason("not_ids", snippet=reason), self.endpoint)
            now = [s for key, s in wanted.items() if key in answered]
            outcome.stored += [s["id"] for s in now]
            self._remember(now)
            left = [s for key, s in wanted.items() if key not in answered]
            if left and not self._omits_held:
                # the spec lets an LRS answer without the ids it holds already (Ralph does): check
                # once by reading one back that this LRS does so, rather than ignore what it drops
                self._check_known(left[0], outcome, status, reason)
                self._omits_held = True
                left = left[1:]
            outcome.already += [s["id"] for s in left]
            return
        if status in _CONFIGURATION or status < 400:
            raise self._refused(response)
        if status == 409 and not checked:  # the LRS knows at least one id
            self._store_unheld(batch, outcome, status, reason)
            return
        if len(batch) > 1:  # 409, 413 and any other refusal: find which statements, the others go through
            half = len(batch) // 2
            self._store(batch[:half], outcome, checked)
            self._store(batch[half:], outcome, checked)
            return
        statement = batch[0]
        if status == 409:
            self._check_known(statement, outcome, status, reason)
            return
        outcome.refused.append(Refused(statement, status, reason))

    def _store_unheld(self, batch: list[dict[str, Any]], outcome: StoreOutcome, status: int, reason: str) -> None:
        """Sort out the statements the LRS holds already (ours → already; another → a conflict),
        then send the others."""
        held = self.held(batch)
        rest = []
        for statement in batch:
            theirs = held.get(statement["id"].lower())
            if theirs is None:
                rest.append(statement)
            elif theirs == hash(fact_of(statement)):
                outcome.already.append(statement["id"])
            else:
                outcome.refused.append(Refused(statement, status, "another statement is stored under this id"))
        if rest:
            self._store(rest, outcome, checked=True)

    def held(self, batch: list[dict[str, Any]]) -> dict[str, int]:
        """{id (lower case): hash of its fact} of the statements the LRS holds for the batch's
        learners (read only: a dry run asks it too)."""
        held: dict[str, int] = {}
        for key, actor in {_agent_key(s): s.get("actor") for s in batch}.items():
            if key not in self._held_by_agent:
                self._held_by_agent[key] = {str(s.get("id")).lower(): hash(fact_of(s))
                                            for s in self.statements(agent=json.dumps(actor), limit=500)
                                            if isinstance(s, dict)}
            held.update(self._held_by_agent[key])
        return held

    def _remember(self, stored: list[dict[str, Any]]) -> None:
        for statement in stored:
            known = self._held_by_agent.get(_agent_key(statement))
            if known is not None:
                known[statement["id"].lower()] = hash(fact_of(statement))

    def _check_known(self, statement: dict[str, Any], outcome: StoreOutcome, status: int, reason: str) -> None:
        """The LRS says it knows this id: read it back; ours → already stored, another → a conflict."""
        theirs = self.get(statement["id"])
        if theirs is None:
            raise LrsError(status, Reason("held_not_given", id=statement["id"]), self.endpoint)
        if same_fact(statement, theirs):
            outcome.already.append(statement["id"])
        else:
            outcome.refused.append(Refused(statement, status, "another statement is stored under this id"))

    # --- reading ---------------------------------------------------------------------------------

    def get(self, statement_id: str) -> dict[str, Any] | None:
        """The stored statement of that id, or None (ADL answers it alone or 404, Ralph in a list)."""
        response = self._request("GET", self.endpoint + "statements", params={"statementId": statement_id})
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._refused(response)
        body = self._json(response)
        if isinstance(body, dict) and isinstance(body.get("statements"), list):
            return next((s for s in body["statements"] if isinstance(s, dict) and s.get("id") == statement_id), None)
        if isinstance(body, dict) and "id" in body:
            return body
        raise LrsError(200, Reason("not_xapi", snippet=self.transport.redact(_snippet(response))), self.endpoint)

    def pages(self, decode: Callable[[bytes], Any] | None = None,
              **params: Any) -> Iterator[tuple[list[Any], dict[str, Any]]]:
        """(statements, page) for each page of a query, following ``more`` on the LRS's own origin,
        at most MAX_PAGES and never the same link twice. ``decode``: a faster decoder of the
        page's body for the statements' usual shape, None when it cannot (then decoded whole)."""
        url = self.endpoint + "statements"
        query_now: dict[str, Any] | None = params
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            response = self._request("GET", url, params=query_now)
            if response.status_code != 200:
                raise self._refused(response)
            page = (decode(response.content) if decode is not None else None) or self._json(response)
            if not (isinstance(page, dict) and isinstance(page.get("statements"), list)):
                raise LrsError(200, Reason("not_result", snippet=self.transport.redact(_snippet(response))),
                               self.endpoint)
            yield page["statements"], page
            more = page.get("more")
            if not more:
                return
            if not isinstance(more, str) or more in seen:
                raise LrsError(200, Reason("bad_more", more=str(more)[:120]), self.endpoint)
            seen.add(more)
            try:
                url, query_now = self.transport.resolve(more), None
            except ForeignUrl as exc:
                raise LrsError(200, exc.reason, self.endpoint) from None
        raise LrsError(200, Reason("too_many_pages", pages=MAX_PAGES), self.endpoint)

    def statements(self, **params: Any) -> Iterator[dict[str, Any]]:
        """Every statement matching the query."""
        for statements, _page in self.pages(**params):
            yield from statements
