"""``coursepack preview``: the catalogue in a browser, on this computer only."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands.catalogue_input import resolve_catalogue
from packager.preview.server import PreviewServer


def run(path: Path, port: int, lang: str = "fr") -> int:
    root, _single = resolve_catalogue(path)
    server = PreviewServer(root, port, lang)
    click.echo(f"Aperçu : {server.url}/  (Ctrl+C pour arrêter ; enregistrez un fichier, la page se recharge)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
