"""The preview's web server against slow, idle and greedy clients, with real sockets: each is
dropped after a bounded time (made small here), event streams are capped and end, and a deeply
nested body is a 400, not a traceback."""

from __future__ import annotations

import contextlib
import shutil
import socket
from collections.abc import Iterator

import pytest

from conftest import COURSES
from packager.preview.limits import Limits
from packager.preview.server import PreviewServer
from polling import poll

QUICK = Limits(head_timeout=0.5, body_timeout=0.5, max_streams=2, stream_idle=0.6, stream_step=0.05)


@pytest.fixture
def server(tmp_path) -> Iterator[PreviewServer]:
    root = tmp_path / "courses"
    shutil.copytree(COURSES, root)
    running = PreviewServer(root, limits=QUICK).start()
    yield running
    running.close()


def connect(server: PreviewServer) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.setblocking(False)
    return sock


def read(sock: socket.socket) -> bytes | None:
    """What has arrived (b"" once the server closed), or None when nothing has yet."""
    try:
        return sock.recv(65536)
    except BlockingIOError:
        return None
    except ConnectionResetError:
        return b""


def closed_while(sock: socket.socket, send: bytes = b"") -> bool:
    """Send ``send`` (a byte of a trickle), then whether the server has closed the connection."""
    try:
        if send:
            sock.send(send)
    except (BrokenPipeError, ConnectionResetError):
        return True
    answer = read(sock)
    while answer:  # an answer before the close: read through it
        answer = read(sock)
    return answer == b""


def test_a_client_trickling_its_headers_is_dropped(server) -> None:
    sock = connect(server)
    head = iter(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000)
    assert poll(lambda: closed_while(sock, bytes([next(head)])), timeout=10, every=0.05)
    sock.close()


def test_a_client_that_sends_nothing_is_dropped(server) -> None:
    sock = connect(server)
    assert poll(lambda: closed_while(sock), timeout=10, every=0.05)
    sock.close()


def test_a_slow_body_gets_a_408_and_is_dropped(server) -> None:
    sock = connect(server)
    sock.send(b"POST /lrs/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n[")
    received = bytearray()

    def trickle() -> bytes:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.send(b" ")
        received.extend(read(sock) or b"")
        return bytes(received)

    answer = poll(trickle, lambda got: b"\r\n\r\n" in got, timeout=10, every=0.05)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert "Requête trop lente".encode() in answer or poll(trickle, lambda got: "Requête trop lente".encode() in got, timeout=5)
    sock.close()


def open_stream(server: PreviewServer) -> tuple[socket.socket, bytes]:
    sock = connect(server)
    sock.send(b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    got = bytearray()
    answer = poll(lambda: bytes(got.extend(read(sock) or b"") or got), lambda a: b"\r\n\r\n" in a, timeout=10, every=0.02)
    return sock, answer


def test_event_streams_are_capped_and_a_closed_one_frees_its_place(server) -> None:
    first, a = open_stream(server)
    second, b = open_stream(server)
    third, c = open_stream(server)
    assert a.startswith(b"HTTP/1.1 200") and b.startswith(b"HTTP/1.1 200")
    assert c.startswith(b"HTTP/1.1 503"), c[:200]
    assert "Trop de pages de l'aperçu sont ouvertes (2)".encode() in poll(
        lambda: c + (read(third) or b""), lambda got: b"ouvertes" in got, timeout=5)
    for sock in (first, third):
        sock.close()
    assert poll(lambda: open_stream(server)[1], lambda got: got.startswith(b"HTTP/1.1 200"), timeout=10).startswith(b"HTTP/1.1 200")
    second.close()


def test_an_event_stream_without_news_ends(server) -> None:
    sock, answer = open_stream(server)
    assert answer.startswith(b"HTTP/1.1 200")
    got = bytearray(answer)
    assert poll(lambda: bytes(got.extend(read(sock) or b"") or got), lambda a: a.endswith(b"0\r\n\r\n"), timeout=10).endswith(b"0\r\n\r\n")
    sock.close()


def test_deeply_nested_json_is_a_400_in_one_line(server, capfd) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    sock = connect(server)
    sock.setblocking(True)
    sock.sendall(b"POST /lrs/statements HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    sock.close()
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert answer.split(b"\r\n\r\n", 1)[1].decode() == "Corps JSON illisible : trop de niveaux imbriqués."
    out, err = capfd.readouterr()
    assert "RecursionError" not in out + err and "Traceback" not in out + err


def test_the_wrapped_protocol_is_the_one_uvicorn_runs_for_h11() -> None:
    """uvicorn has no read timeout on a request's head, so the preview wraps its h11 protocol class
    (preview/limits.py). That class is what uvicorn's own ``http="h11"`` setting names; a uvicorn
    release that moves or renames it fails here, not in a mediator's preview."""
    import uvicorn.config
    from uvicorn.importer import import_from_string

    from packager.preview.limits import H11Protocol

    assert import_from_string(uvicorn.config.HTTP_PROTOCOLS["h11"]) is H11Protocol
