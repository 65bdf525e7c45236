"""Which catalogue a command works on: the one given, else the one you stand in, else the
embedded one; said on the command's first line. Light on purpose: it runs before any model is
imported."""

from __future__ import annotations

from pathlib import Path

import click

from packager.model.location import find_root
from packager.resources import embedded_catalogue


def resolve_catalogue(path: Path) -> tuple[Path, Path | None]:
    """(catalogue root, the single file asked for or None)."""
    root = find_root(path)
    single = path.resolve() if path.is_file() else None
    if root is None:
        root = path if path.is_dir() else path.parent
    return root, single


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
