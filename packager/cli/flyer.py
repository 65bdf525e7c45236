"""``coursepack flyer`` on the command line: its options, and a line per flyer written.

The use case is ``packager.commands.flyer``; this module only parses, words and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from packager.cli.failures import explain_failure, failures
from packager.cli.options import LANG, PATH, choose_catalogue

_T: dict[str, dict[str, str]] = {
    "fr": {
        "refused": "Affiche impossible : corrigez d'abord les erreurs du catalogue (coursepack validate).",
        "unknown": "Aucun parcours métier « {job} » : choisissez parmi {jobs}.",
        "none": "Ce catalogue n'a aucun parcours métier : pas d'affiche à faire.",
        "done": "Affiche « {title} » : {html} et {pdf}",
        "html_only": "Affiche « {title} » : {html} (PDF non écrit : {reason} ; ouvrez le HTML et imprimez-le)",
        "no_chromium": "Chromium introuvable (installez le paquet chromium, ou donnez son chemin dans COURSEPACK_CHROMIUM)",
        "not_published": "  {job} n'est pas encore publié (aucune adresse dans {file}) : l'affiche le dit ; "
                         "lancez coursepack publish, puis refaites l'affiche.",
    },
    "en": {
        "refused": "No flyer: fix the catalogue's errors first (coursepack validate).",
        "unknown": "No job path “{job}”: choose among {jobs}.",
        "none": "This catalogue has no job path: no flyer to make.",
        "done": "Flyer “{title}”: {html} and {pdf}",
        "html_only": "Flyer “{title}”: {html} (no PDF: {reason}; open the HTML and print it)",
        "no_chromium": "Chromium not found (install the chromium package, or name it in COURSEPACK_CHROMIUM)",
        "not_published": "  {job} is not published yet (no address in {file}): the flyer says so; "
                         "run coursepack publish, then make the flyer again.",
    },
}


def run(path: Path, *, job: str | None, out: Path, published: Path, size: str = "A4", lang: str = "fr") -> int:
    """Write the flyers and print; exit code 1 when a PDF could not be printed."""
    from packager.commands.flyer import make_flyers

    t = _T[lang]

    def stopped(reason: str, params: dict[str, Any]) -> list[str]:
        return [t[reason].format(**params)]

    failed = False
    try:
        for written in make_flyers(path, job=job, out=out, published=published, size=size):
            if written.pdf is None:
                reason = t["no_chromium"] if written.pdf_error == "chromium" else written.pdf_error
                click.echo(t["html_only"].format(title=written.title, html=written.html, reason=reason), err=True)
                failed = True
            else:
                click.echo(t["done"].format(title=written.title, html=written.html, pdf=written.pdf))
            if written.unpublished is not None:
                click.echo(t["not_published"].format(job=written.job, file=written.unpublished))
    except failures() as exc:
        return explain_failure(exc, lang, t["refused"], stopped)
    return 1 if failed else 0


@click.command()
@click.argument("path", type=PATH, required=False)
@click.option("--job", default=None, help="Only this job path (default: every one).")
@click.option("--out", type=PATH, default=Path("flyers"), show_default=True, help="Folder for the flyers (HTML and PDF).")
@click.option("--size", type=click.Choice(["A4", "A5"]), default="A4", show_default=True, help="Paper size.")
@click.option("--published", type=PATH, default=Path("dist"), show_default=True,
              help="The folder publish wrote to: its moodle-courses.json gives each course's address.")
@LANG
def flyer(path: Path | None, job: str | None, out: Path, size: str, published: Path, lang: str) -> None:
    """Write a paper flyer per job path (HTML print-ready and PDF): what it teaches, how long, QR codes to start and to book help."""
    sys.exit(run(choose_catalogue(path, lang), job=job, out=out, published=published, size=size, lang=lang))
