"""How long and how much the preview's web server gives each client (docs/architecture.md,
"Preview limits"): a slow, idle or clumsy client is dropped after a bounded time instead of
holding a connection, a task or a stream for as long as it likes.

uvicorn bounds what it can: idle keep-alive connections (``timeout_keep_alive``), the size of a
request's head (``h11_max_incomplete_event_size``), the number of connections at once
(``limit_concurrency``, a 503 above). It has no time limit on reading a request's head or body:
a client sending its headers one byte every few seconds is kept forever. So:

- :class:`ConnectionGuard` wraps uvicorn's own h11 protocol (composition, passed as ``Config``'s
  ``http`` protocol class): a connection that has no request in the application for
  ``head_timeout`` seconds (its head still arriving, or nothing sent at all) is closed;
- :class:`RequestLimits` (ASGI middleware) refuses bodies above ``max_body`` (413) and a body not
  complete within ``body_timeout`` (408), and tells the guard which connections are in the
  application;
- the event streams are capped (``max_streams``, a 503 with a French line above) and each ends
  after ``stream_idle`` seconds without news or on shutdown (the browser's ``EventSource``
  reconnects by itself).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol  # what uvicorn runs for http="h11": a test holds it so


@dataclass(frozen=True)
class Limits:
    """The bounds, in seconds and bytes; tests make the times small."""

    head_timeout: float = 10.0  # from connecting (or the last answer) to a complete request head
    body_timeout: float = 30.0  # from the request head to its complete body
    keep_alive: float = 5.0  # an idle connection between requests (uvicorn's timeout_keep_alive)
    max_head: int = 64 * 1024  # bytes of a request head (uvicorn's h11_max_incomplete_event_size)
    max_body: int = 1024 * 1024  # a batch of statements is a few kilobytes
    max_connections: int = 100  # at once (uvicorn's limit_concurrency: a 503 above)
    max_streams: int = 20  # event streams open at once: pages of the preview open in tabs
    stream_idle: float = 300.0  # an event stream with no news ends (the page reconnects)
    stream_step: float = 0.2  # how often a stream looks for a new version


DEFAULT_LIMITS = Limits()


class Presence:
    """Which connections (by peer address) have a request in the application, and since when they have not."""

    def __init__(self) -> None:
        self.active: dict[Any, int] = {}
        self.left: dict[Any, float] = {}

    def enter(self, peer: Any) -> None:
        self.active[peer] = self.active.get(peer, 0) + 1

    def leave(self, peer: Any) -> None:
        self.active[peer] -= 1
        if not self.active[peer]:
            del self.active[peer]
        self.left[peer] = time.monotonic()

    def forget(self, peer: Any) -> None:
        self.active.pop(peer, None)
        self.left.pop(peer, None)


def connection_guard(limits: Limits, presence: Presence) -> type[asyncio.Protocol]:
    """The protocol class to give uvicorn: its h11 protocol under :class:`ConnectionGuard`."""
    return type("GuardedH11", (ConnectionGuard,), {"limits": limits, "presence": presence})


class ConnectionGuard(asyncio.Protocol):
    """uvicorn's h11 protocol, closed when no request of its reaches the application in time."""

    limits: Limits
    presence: Presence

    def __init__(self, **kwargs: Any) -> None:
        self.inner = H11Protocol(**kwargs)
        self.peer: Any = None
        self.transport: asyncio.Transport | None = None
        self.since = time.monotonic()
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.peer = _peer(transport.get_extra_info("peername"))
        self.since = time.monotonic()
        self.inner.connection_made(transport)  # type: ignore[arg-type]
        self._check_in(self.limits.head_timeout)

    def _check_in(self, seconds: float) -> None:
        self.timer = asyncio.get_running_loop().call_later(max(seconds, 0.01), self._check)

    def _check(self) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        if self.peer in self.presence.active:
            self._check_in(self.limits.head_timeout)
            return
        waiting_since = max(self.since, self.presence.left.get(self.peer, 0.0))
        left = self.limits.head_timeout - (time.monotonic() - waiting_since)
        if left <= 0:
            self.transport.close()  # a head trickling in, or nothing at all: dropped
        else:
            self._check_in(left)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.presence.forget(self.peer)
        self.inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.inner.data_received(data)

    def eof_received(self) -> None:
        self.inner.eof_received()

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


def _peer(address: Any) -> Any:
    """The peer address as the ASGI scope's ``client`` holds it: (host, port)."""
    return tuple(address[:2]) if isinstance(address, (tuple, list)) else address


class _TooBig(Exception):
    pass


class _TooSlow(Exception):
    pass


class RequestLimits:
    """Bodies bounded in size and time; the guard told which connections are in the application."""

    def __init__(self, app: ASGIApp, limits: Limits, presence: Presence) -> None:
        self.app = app
        self.limits = limits
        self.presence = presence

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = _peer(scope.get("client"))
        self.presence.enter(peer)
        try:
            await self._bounded(scope, receive, send)
        finally:
            self.presence.leave(peer)

    async def _bounded(self, scope: Scope, receive: Receive, send: Send) -> None:
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and not length.isdigit():
            await Response("Content-Length invalide.", 400)(scope, receive, send)
            return
        if length is not None and int(length) > self.limits.max_body:
            await Response("Requête trop grande.", 413)(scope, receive, send)
            return
        received = 0
        complete = False
        deadline = time.monotonic() + self.limits.body_timeout

        async def bounded() -> Message:
            nonlocal received, complete
            if complete:  # the body is in: what follows (a disconnect) may take its time
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(deadline - time.monotonic(), 0.001))
            except TimeoutError:
                raise _TooSlow() from None
            received += len(message.get("body", b""))
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            if received > self.limits.max_body:  # chunked bodies announce no length
                raise _TooBig()
            return message

        try:
            await self.app(scope, bounded, send)
        except _TooBig:
            await Response("Requête trop grande.", 413)(scope, receive, send)
        except _TooSlow:
            await Response("Requête trop lente : le corps n'est pas arrivé à temps.", 408,
                           headers={"Connection": "close"})(scope, receive, send)
