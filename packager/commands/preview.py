"""The preview use case: the catalogue in a browser, on this computer only, until Ctrl+C."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from packager.commands.errors import Stop
from packager.commands.locate import resolve_catalogue
from packager.preview.server import PortBusy, PreviewServer


def serve(path: Path, port: int, lang: str, on_ready: Callable[[str], None]) -> None:
    """Serve until interrupted; ``on_ready`` gets the address once the port is ours. A busy port is
    ``Stop("busy")`` with the next port to try."""
    root, _single = resolve_catalogue(path)
    try:
        server = PreviewServer(root, port, lang)
    except PortBusy as busy:
        raise Stop("busy", 2, port=busy.port, other=busy.port + 1 if busy.port < 65535 else 8001) from None
    on_ready(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
