"""``coursepack validate``: report every problem of a catalogue, compiler-style."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands.catalogue_input import echo_problems, resolve_catalogue
from packager.model.catalogue import SETTINGS_FILE
from packager.model.checks import validate_catalogue
from packager.model.problems import Problem, Severity, format_problem
from packager.utils.yamlload import Position

_SUMMARY = {
    "fr": {
        "ok": "Catalogue valide : {tools} cours outils, {jobs} parcours métier, {modules} modules.",
        "counts": "{errors} erreur(s), {warnings} avertissement(s).",
        "strict": "Les avertissements comptent comme des erreurs (--strict).",
    },
    "en": {
        "ok": "Catalogue valid: {tools} tool courses, {jobs} job paths, {modules} modules.",
        "counts": "{errors} error(s), {warnings} warning(s).",
        "strict": "Warnings count as errors (--strict).",
    },
}


def run(path: Path, lang: str = "fr", strict: bool = False) -> int:
    if not path.exists():
        problem = Problem(path, Position(1, 1), (), "catalogue.not_found")
        click.echo(format_problem(problem, lang), err=True)
        return 2
    root, single = resolve_catalogue(path)
    catalogue = validate_catalogue(root)
    problems = catalogue.problems
    if single is not None and single.name != SETTINGS_FILE:
        problems = [p for p in problems if p.file.resolve() == single]
    texts = _SUMMARY[lang]
    echo_problems(problems, lang)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if problems:
        click.echo(texts["counts"].format(errors=errors, warnings=warnings))
    if errors or (strict and warnings):
        if strict and warnings and not errors:
            click.echo(texts["strict"])
        return 1
    modules = sum(len(tool.modules) for tool in catalogue.tools.values())
    click.echo(texts["ok"].format(tools=len(catalogue.tools), jobs=len(catalogue.jobs), modules=modules))
    return 0
