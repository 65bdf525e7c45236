"""``coursepack preview``: the catalogue in a browser, on this computer only."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands.locate import resolve_catalogue
from packager.preview.server import PortBusy, PreviewServer

_TEXTS = {
    "fr": {
        "busy": "Le port {port} est déjà pris (un autre aperçu est peut-être ouvert) : fermez-le, ou lancez coursepack preview --port {other}.",
        "ready": "Aperçu : {url}/  (Ctrl+C pour arrêter ; enregistrez un fichier, la page se recharge)",
    },
    "en": {
        "busy": "Port {port} is already taken (another preview may be open): close it, or run coursepack preview --port {other}.",
        "ready": "Preview: {url}/  (Ctrl+C to stop; save a file and the page reloads)",
    },
}


def run(path: Path, port: int, lang: str = "fr") -> int:
    texts = _TEXTS[lang]
    root, _single = resolve_catalogue(path)
    try:
        server = PreviewServer(root, port, lang)
    except PortBusy as busy:
        click.echo(texts["busy"].format(port=busy.port, other=busy.port + 1 if busy.port < 65535 else 8001), err=True)
        return 2
    click.echo(texts["ready"].format(url=server.url))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
