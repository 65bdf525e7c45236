"""How every command gets a valid catalogue: validated, or refused with its problems."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from packager.commands.errors import InvalidCatalogue
from packager.commands.locate import resolve_catalogue
from packager.model.problems import Problem, Severity, format_problem

if TYPE_CHECKING:
    from packager.model.catalogue import Catalogue


def echo_problems(problems: list[Problem], lang: str) -> None:
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.echo(click.style(format_problem(problem, lang), fg=colour))


def load_valid_catalogue(path: Path) -> Catalogue:
    """The catalogue holding ``path``; ``InvalidCatalogue`` (with its errors) when it has any."""
    from packager.model.checks import validate_catalogue  # pydantic and the checks: only now

    catalogue = validate_catalogue(resolve_catalogue(path)[0])
    if catalogue.errors:
        raise InvalidCatalogue(catalogue.errors)
    return catalogue


def valid_catalogue(path: Path, lang: str, refused: str) -> Catalogue | None:
    """The catalogue holding ``path`` if it has no error; else its errors and ``refused`` are printed."""
    from packager.model.checks import validate_catalogue  # pydantic and the checks: only now

    root, _single = resolve_catalogue(path)
    catalogue = validate_catalogue(root)
    if catalogue.errors:
        echo_problems(catalogue.errors, lang)
        click.echo(refused, err=True)
        return None
    return catalogue
