"""``coursepack new tool|job ID`` on the command line: the file written, or why not."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packager.cli.options import LANG, PATH, choose_catalogue

_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "bad_id": "Identifiant « {id} » invalide : minuscules sans accents, chiffres et tirets (ex. « {example} »).",
        "exists": "{file} existe déjà : choisissez un autre identifiant ou modifiez ce fichier.",
        "taken": "L'identifiant « {id} » est déjà celui d'un cours du catalogue.",
        "no_catalogue": "Pas de catalogue.yml dans {path} ni au-dessus : indiquez le dossier des cours avec --catalogue.",
        "written": "Fichier créé : {file}\nModifiez-le, puis vérifiez-le avec : coursepack validate {root}",
    },
    "en": {
        "bad_id": "Invalid identifier '{id}': lowercase letters without accents, digits and hyphens (e.g. '{example}').",
        "exists": "{file} already exists: choose another identifier or edit that file.",
        "taken": "Identifier '{id}' is already a course of the catalogue.",
        "no_catalogue": "No catalogue.yml in {path} or above: give the courses folder with --catalogue.",
        "written": "Created: {file}\nEdit it, then check it with: coursepack validate {root}",
    },
}


def run(kind: str, course_id: str, catalogue_path: Path, lang: str = "fr") -> int:
    from packager.commands.errors import Stop
    from packager.commands.new import create

    texts = _TEXTS[lang]
    try:
        created = create(kind, course_id, catalogue_path)
    except Stop as exc:
        click.echo(texts[exc.reason].format(**exc.params), err=True)
        return exc.exit_code
    click.echo(texts["written"].format(file=created.file, root=created.root))
    return 0


@click.command()
@click.argument("kind", type=click.Choice(["tool", "job"]))
@click.argument("course_id", metavar="ID")
@click.option("--catalogue", "catalogue_path", type=PATH, default=None, help="Catalogue folder (default: the one you stand in, else the embedded one).")
@LANG
def new(kind: str, course_id: str, catalogue_path: Path | None, lang: str) -> None:
    """Write a commented, valid starting file for a tool course or a job path."""
    sys.exit(run(kind, course_id, choose_catalogue(catalogue_path, lang), lang=lang))
