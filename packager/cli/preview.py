"""``coursepack preview`` on the command line: where to open it, or which port to take instead."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packager.cli.options import LANG, PATH, choose_catalogue

_TEXTS: dict[str, dict[str, str]] = {
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
    from packager.commands.errors import Stop
    from packager.commands.preview import serve

    texts = _TEXTS[lang]
    try:
        serve(path, port, lang, lambda url: click.echo(texts["ready"].format(url=url)))
    except Stop as exc:
        click.echo(texts[exc.reason].format(**exc.params), err=True)
        return exc.exit_code
    return 0


@click.command()
@click.argument("path", type=PATH, required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
@LANG
def preview(path: Path | None, port: int, lang: str) -> None:
    """Preview the catalogue in a browser; each module plays in an LMS simulator."""
    sys.exit(run(choose_catalogue(path, lang), port, lang))
