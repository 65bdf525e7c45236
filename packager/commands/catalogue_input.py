"""How every command gets its catalogue: find it from a path, validate it, print its problems."""

from __future__ import annotations

from pathlib import Path

import click

from packager.model.catalogue import Catalogue, find_root
from packager.resources import embedded_catalogue
from packager.model.checks import validate_catalogue
from packager.model.problems import Problem, Severity, format_problem


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


def echo_problems(problems: list[Problem], lang: str) -> None:
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.echo(click.style(format_problem(problem, lang), fg=colour))


def valid_catalogue(path: Path, lang: str, refused: str) -> Catalogue | None:
    """The catalogue holding ``path`` if it has no error; else its errors and ``refused`` are printed."""
    root, _single = resolve_catalogue(path)
    catalogue = validate_catalogue(root)
    if catalogue.errors:
        echo_problems(catalogue.errors, lang)
        click.echo(refused, err=True)
        return None
    return catalogue
