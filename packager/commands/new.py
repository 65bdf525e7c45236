"""``coursepack new tool|job ID``: a commented starting file that already validates."""

from __future__ import annotations

import re
from pathlib import Path

import click

from packager.model.catalogue import load_catalogue
from packager.model.location import find_root
from packager.model.format import SLUG_PATTERN
from packager.model.scaffold import render
from packager.model.schema_errors import slug_example

#: Where new files go inside the catalogue (mediators browse the catalogue by these folders).
FOLDERS = {"tool": "outils", "job": "metiers"}

_TEXTS = {
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


def _shown(text: str) -> str:
    """The id as typed, with invisible characters (a newline, a tab) made visible."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def run(kind: str, course_id: str, catalogue_path: Path, lang: str = "fr") -> int:
    texts = _TEXTS[lang]
    if not re.fullmatch(SLUG_PATTERN, course_id) or len(course_id) > 64:  # fullmatch: "$" lets "id\n" through
        example = slug_example(course_id) if slug_example(course_id) != "mon-identifiant" else "mon-cours"
        click.echo(texts["bad_id"].format(id=_shown(course_id), example=example), err=True)
        return 2
    root = find_root(catalogue_path)
    if root is None:
        click.echo(texts["no_catalogue"].format(path=catalogue_path), err=True)
        return 2
    catalogue = load_catalogue(root)
    if course_id in catalogue.docs:
        click.echo(texts["taken"].format(id=course_id), err=True)
        return 2
    target = root / FOLDERS[kind] / f"{course_id}.yml"
    if target.exists():
        click.echo(texts["exists"].format(file=target), err=True)
        return 2
    example_ref = next((f"{t}/{tool.modules[0].id}" for t, tool in catalogue.tools.items()), "cours-outil/module")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(render(kind, course_id, example_ref))
    click.echo(texts["written"].format(file=target, root=root))
    return 0
