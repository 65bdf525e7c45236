"""``coursepack validate`` on the command line: every problem, compiler-style, then a summary.

The use case is ``packager.commands.validate``; this module only parses and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packager.cli.options import LANG, PATH, choose_catalogue
from packager.cli.problems import echo_problems
from packager.model.messages import plural
from packager.model.problems import format_problem

_SUMMARY: dict[str, dict[str, str]] = {
    "fr": {
        "ok": "Catalogue valide : {tools}, {jobs} ; {packages} à construire ({modules} et {intros}).",
        "strict": "Les avertissements comptent comme des erreurs (--strict).",
    },
    "en": {
        "ok": "Catalogue valid: {tools}, {jobs}; {packages} to build ({modules} and {intros}).",
        "strict": "Warnings count as errors (--strict).",
    },
}
_WORDS: dict[str, dict[str, tuple[str, str]]] = {
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
    from packager.commands.errors import Stop
    from packager.commands.validate import check

    try:
        checked = check(path)
    except Stop as exc:
        click.echo(format_problem(exc.params["problem"], lang), err=True)
        return exc.exit_code
    texts, summary = _SUMMARY[lang], checked.summary
    echo_problems(checked.problems, lang)
    if checked.problems:
        click.echo(f"{_count(checked.errors, 'errors', lang)}, {_count(checked.warnings, 'warnings', lang)}.")
    if checked.errors or (strict and checked.warnings):
        if strict and checked.warnings and not checked.errors:
            click.echo(texts["strict"])
        return 1
    # as build counts: one package per tool module and one per job path's introduction
    click.echo(texts["ok"].format(tools=_count(summary.tools, "tools", lang), jobs=_count(summary.jobs, "jobs", lang),
                                  packages=_count(summary.packages, "packages", lang),
                                  modules=_count(summary.packages - summary.jobs, "modules", lang),
                                  intros=_count(summary.jobs, "intros", lang)))
    return 0


@click.command()
@click.argument("path", type=PATH, required=False)
@LANG
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(path: Path | None, lang: str, strict: bool) -> None:
    """Check the catalogue (default: the one you stand in) and report every problem."""
    sys.exit(run(choose_catalogue(path, lang), lang=lang, strict=strict))
