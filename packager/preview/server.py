"""``coursepack preview``'s web stack: Starlette on uvicorn, files watched with watchfiles.

The way sphinx-autobuild and mkdocs serve a live preview: a real ASGI server that parses HTTP
for us (a bad ``Content-Length`` is a clean 400, not a traceback), a file watcher instead of
polling the disk, and Server-Sent Events to tell open pages to reload. The server listens on
127.0.0.1 only and answers only to ``127.0.0.1`` or ``localhost`` as Host (no DNS rebinding);
request bodies, slow clients and event streams are bounded (packager.preview.limits).
"""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
from pathlib import Path
from collections.abc import Callable
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from watchfiles import DefaultFilter, watch

from packager.preview.limits import DEFAULT_LIMITS, Limits, Presence, RequestLimits, connection_guard
from packager.preview.pages import Preview, Reply

HOSTS = ["127.0.0.1", "localhost"]
_ICON = (b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' fill='#1f4e8c'/>"
         b"<path d='M4 8l3 3 5-6' stroke='#fff' stroke-width='2' fill='none'/></svg>")
_CRASH = ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Aperçu indisponible</title></head>"
          "<body data-version='0'><main><h1>Cette page n'a pas pu être construite</h1>"
          "<p>Enregistrez le fichier corrigé : la page se recharge toute seule. Si le problème reste, signalez-le "
          "à l'équipe CoursePack.</p></main><script>new EventSource('/api/events').onmessage = function () "
          "{ window.location.reload(); };</script></body></html>")


class PortBusy(Exception):
    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.port = port


class _Stream(StreamingResponse):
    """An event stream that says when it ends, however it ends (done, client gone, shutdown)."""

    def __init__(self, content: Any, ended: Callable[[], None]) -> None:
        super().__init__(content, media_type="text/event-stream", headers={"Cache-Control": "no-store"})
        self.ended = ended

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.ended()


def _reply(reply: Reply) -> Response:
    return Response(reply.body, reply.status, media_type=reply.content_type, headers={"Cache-Control": "no-store"})


class EventStreams:
    """The reload streams of the open pages: at most ``max_streams`` at once (a 503 with a French
    line above), each ending after ``stream_idle`` seconds without news, or on shutdown."""

    def __init__(self, preview: Preview, stopping: threading.Event, limits: Limits) -> None:
        self.preview, self.stopping, self.limits = preview, stopping, limits
        self.open = 0

    async def respond(self, _request: Request) -> Response:
        if self.open >= self.limits.max_streams:
            return Response(_TOO_MANY_STREAMS.format(n=self.limits.max_streams), 503,
                            media_type="text/plain; charset=utf-8", headers={"Retry-After": "10"})
        self.open += 1
        return _Stream(self._stream(), self._ended)

    def _ended(self) -> None:
        self.open -= 1

    async def _stream(self) -> Any:
        loop = asyncio.get_running_loop()
        sent, news = None, loop.time()
        while not self.stopping.is_set() and loop.time() - news < self.limits.stream_idle:
            if self.preview.version != sent:
                sent, news = self.preview.version, loop.time()
                yield f"data: {sent}\n\n"
            await asyncio.sleep(self.limits.stream_step)


_TOO_MANY_STREAMS = ("Trop de pages de l'aperçu sont ouvertes ({n}) : fermez celles dont vous n'avez plus besoin, "
                     "puis rechargez cette page.")
_TOO_NESTED = "Corps JSON illisible : trop de niveaux imbriqués."


def create_app(preview: Preview, stopping: threading.Event, limits: Limits = DEFAULT_LIMITS,
               presence: Presence | None = None) -> Starlette:
    """The routes, each a thin call into :class:`Preview`."""
    streams = EventStreams(preview, stopping, limits)

    def home(_request: Request) -> Response:
        return _reply(preview.home())

    def play(request: Request) -> Response:
        return _reply(preview.play(request.path_params["key"]))

    def package_file(request: Request) -> Response:
        params = request.path_params
        return _reply(preview.package_file(f"{params['course']}/{params['module']}", params["name"]))

    def favicon(_request: Request) -> Response:
        return Response(_ICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    def version(_request: Request) -> JSONResponse:
        return JSONResponse({"version": preview.version})

    def statements(request: Request) -> JSONResponse:
        return JSONResponse(preview.statements(request.query_params.get("registration", "")))

    async def lrs_statements(request: Request) -> Response:
        if request.method == "GET":  # the tracker reads back what it sent for the registration (one verdict)
            return JSONResponse({"statements": preview.statements(request.query_params.get("registration", "")), "more": ""})
        try:
            ids = preview.receive(await request.body())
        except RecursionError:  # json's parser recurses once per level
            return Response(_TOO_NESTED, 400, media_type="text/plain; charset=utf-8")
        return JSONResponse(ids) if request.method == "POST" else Response(status_code=204)

    async def lrs_state(request: Request) -> Response:
        await request.body()
        # No State API here: the player resumes from the browser. "null" (not a 404) keeps the
        # console quiet; the tracker then falls back to its local copy.
        return JSONResponse(None) if request.method == "GET" else Response(status_code=204)

    async def crashed(_request: Request, _exc: Exception) -> Response:
        return Response(_CRASH, 500, media_type="text/html; charset=utf-8")

    routes = [
        Route("/", home),
        Route("/favicon.ico", favicon),
        Route("/api/version", version),
        Route("/api/events", streams.respond),
        Route("/api/statements", statements),
        Route("/play/{key:path}", play),
        Route("/pkg/{course}/{module}/{name:path}", package_file),
        Route("/lrs/statements", lrs_statements, methods=["GET", "POST", "PUT"]),
        Route("/lrs/activities/state", lrs_state, methods=["GET", "PUT", "POST", "DELETE"]),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=HOSTS),
                  Middleware(RequestLimits, limits=limits, presence=presence or Presence())]
    return Starlette(routes=routes, middleware=middleware, exception_handlers={Exception: crashed})


def bind(port: int) -> socket.socket:
    """The listening socket on 127.0.0.1, or PortBusy: said in one line by the command."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(port) from None
        raise
    sock.listen(128)
    return sock


class PreviewServer:
    """uvicorn serving the preview, plus the thread that watches the catalogue's files."""

    def __init__(self, root: Path, port: int = 0, lang: str = "fr", limits: Limits = DEFAULT_LIMITS) -> None:
        self.preview = Preview(root, lang)
        self._stopping = threading.Event()
        self._socket = bind(port)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        presence = Presence()
        config = uvicorn.Config(create_app(self.preview, self._stopping, limits, presence), log_level="error",
                                access_log=False, lifespan="off", ws="none", timeout_graceful_shutdown=1,
                                http=connection_guard(limits, presence), timeout_keep_alive=int(max(limits.keep_alive, 1)),
                                h11_max_incomplete_event_size=limits.max_head, limit_concurrency=limits.max_connections)
        self._server = uvicorn.Server(config)
        self._threads: list[threading.Thread] = []

    def _watch(self) -> None:
        root = self.preview.root
        for force_polling in (False, True):  # inotify can be exhausted: polling still works
            try:
                for _changes in watch(root, watch_filter=DefaultFilter(), stop_event=self._stopping, debounce=300,
                                      step=50, force_polling=force_polling, raise_interrupt=False):
                    self.preview.changed()
                return
            except OSError:
                continue

    def serve_forever(self) -> None:
        watcher = threading.Thread(target=self._watch, daemon=True)
        watcher.start()
        self._threads.append(watcher)
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._stopping.set()

    def start(self) -> PreviewServer:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        self._threads.append(thread)
        while not self._server.started and thread.is_alive():
            self._stopping.wait(0.02)
        return self

    def close(self) -> None:
        self._stopping.set()
        self._server.should_exit = True
        for thread in self._threads:
            thread.join(timeout=5)
        self._socket.close()
