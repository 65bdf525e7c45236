"""What several commands share on the command line: the options, and which catalogue they work
on (the one given, else the one you stand in, else the embedded one; said on the first line)."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands.locate import resolve_catalogue
from packager.model.location import find_root
from packager.resources import embedded_catalogue

PATH = click.Path(path_type=Path)


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta["coursepack.lang"] = value  # shared by the whole context chain, for error messages
    return value


LANG = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    callback=_remember_lang,
    help="Language of the messages.",
)


MOODLE_URL = click.option("--moodle-url", default=None, help="Moodle address (default: MOODLE_URL or the config file).")
CONFIG = click.option("--config", "config_file", type=PATH, default=None,
                       help="Config file (default: COURSEPACK_CONFIG or ~/.config/coursepack/config.toml).")


_CHOSEN = {
    "fr": {"found": "Catalogue : {root}", "embedded": "Catalogue intégré : {root} (aucun catalogue.yml dans {cwd} ni au-dessus)"},
    "en": {"found": "Catalogue: {root}", "embedded": "Embedded catalogue: {root} (no catalogue.yml in {cwd} or above)"},
}


def choose_catalogue(path: Path | None, lang: str = "fr") -> Path:
    """The catalogue a command works on, said on its first line.

    Without PATH: the catalogue the mediator stands in (the nearest catalogue.yml from the
    current folder upwards, as git finds .git), the embedded one only when there is none."""
    texts = _CHOSEN.get(lang, _CHOSEN["fr"])
    if path is None:
        cwd = Path.cwd()
        found = find_root(cwd)
        if found is None:
            root = embedded_catalogue()
            click.echo(texts["embedded"].format(root=root, cwd=cwd), err=True)
            return root
        path = found
    if path.exists():
        click.echo(texts["found"].format(root=resolve_catalogue(path)[0].resolve()), err=True)
    return path
