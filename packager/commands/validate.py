"""``coursepack validate``: report every problem of a catalogue, compiler-style."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands.catalogue_input import echo_problems
from packager.commands.locate import resolve_catalogue
from packager.model.cache import Summary, cached_summary
from packager.model.location import SETTINGS_FILE
from packager.model.messages import plural
from packager.model.problems import Problem, Severity, format_problem
from packager.utils.yamlload import Position

_SUMMARY = {
    "fr": {
        "ok": "Catalogue valide : {tools}, {jobs} ; {packages} à construire ({modules} et {intros}).",
        "strict": "Les avertissements comptent comme des erreurs (--strict).",
    },
    "en": {
        "ok": "Catalogue valid: {tools}, {jobs}; {packages} to build ({modules} and {intros}).",
        "strict": "Warnings count as errors (--strict).",
    },
}
_WORDS = {
    "fr": {"tools": ("cours outil", "cours outils"), "jobs": ("parcours métier", "parcours métier"),
           "modules": ("module", "modules"), "intros": ("introduction de parcours", "introductions de parcours"),
           "packages": ("paquet", "paquets"),
           "errors": ("erreur", "erreurs"), "warnings": ("avertissement", "avertissements")},
    "en": {"tools": ("tool course", "tool courses"), "jobs": ("job path", "job paths"),
           "modules": ("module", "modules"), "intros": ("job path introduction", "job path introductions"),
           "packages": ("package", "packages"),
           "errors": ("error", "errors"), "warnings": ("warning", "warnings")},
}


def _count(count: int, word: str, lang: str) -> str:
    return plural(count, *_WORDS[lang][word], lang=lang)


def run(path: Path, lang: str = "fr", strict: bool = False) -> int:
    if not path.exists():
        problem = Problem(path, Position(1, 1), (), "catalogue.not_found")
        click.echo(format_problem(problem, lang), err=True)
        return 2
    root, single = resolve_catalogue(path)
    summary = cached_summary(root)  # an unchanged catalogue: no YAML parsed, no model loaded
    if summary is None:
        from packager.model.checks import validate_catalogue

        catalogue = validate_catalogue(root)
        summary = Summary(catalogue.problems, len(catalogue.tools), len(catalogue.jobs), len(list(catalogue.modules())))
    problems = summary.problems
    if single is not None and single.name != SETTINGS_FILE:
        problems = [p for p in problems if p.file.resolve() == single]
    texts = _SUMMARY[lang]
    echo_problems(problems, lang)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if problems:
        click.echo(f"{_count(errors, 'errors', lang)}, {_count(warnings, 'warnings', lang)}.")
    if errors or (strict and warnings):
        if strict and warnings and not errors:
            click.echo(texts["strict"])
        return 1
    # as build counts: one package per tool module and one per job path's introduction
    click.echo(texts["ok"].format(tools=_count(summary.tools, "tools", lang), jobs=_count(summary.jobs, "jobs", lang),
                                  packages=_count(summary.packages, "packages", lang),
                                  modules=_count(summary.packages - summary.jobs, "modules", lang), intros=_count(summary.jobs, "intros", lang)))
    return 0
