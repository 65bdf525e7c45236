"""A catalogue's problems, printed compiler-style (red errors, yellow warnings)."""

from __future__ import annotations

import click

from packager.model.problems import Problem, Severity, format_problem


def echo_problems(problems: list[Problem], lang: str) -> None:
    for problem in problems:
        colour = "red" if problem.severity is Severity.ERROR else "yellow"
        click.echo(click.style(format_problem(problem, lang), fg=colour))
