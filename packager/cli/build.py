"""``coursepack build`` on the command line: its options, a progress bar, and what was built.

The use case is ``packager.commands.build``; this module only parses and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from packager.packaging.formats import DEFAULT_FORMAT, FORMATS
from packager.cli.failures import explain_failure, failures
from packager.cli.options import LANG, PATH, choose_catalogue
from packager.cli.progress import Progress
from packager.model.messages import plural

_TEXTS: dict[str, dict[str, Any]] = {
    "fr": {
        "refused": "Construction annulée : corrigez d'abord les erreurs ci-dessus (coursepack validate).",
        "progress": "Construction des paquets",
        "done": "{built}, {unchanged}, dans {out}",
        "built": ("paquet construit", "paquets construits"),
        "unchanged": ("inchangé", "inchangés"),
    },
    "en": {
        "refused": "Build cancelled: fix the errors above first (coursepack validate).",
        "progress": "Building packages",
        "done": "{built}, {unchanged}, in {out}",
        "built": ("package built", "packages built"),
        "unchanged": ("unchanged", "unchanged"),
    },
}


class _Bar(Progress):
    """The build's events: one step per package."""

    def building(self, packages: int) -> None:
        self.start(packages)

    def built_one(self) -> None:
        self.advance()


def run(path: Path, fmt: str, out: Path, force: bool = False, lang: str = "fr") -> int:
    from packager.commands.build import build

    texts = _TEXTS[lang]
    bar = _Bar(texts["progress"])
    try:
        try:
            done = build(path, fmt, out, bar, force=force)
        finally:
            bar.close()
    except failures() as exc:
        return explain_failure(exc, lang, texts["refused"], lambda reason, params: [reason])
    (built_one, built_many), (same_one, same_many) = texts["built"], texts["unchanged"]
    click.echo(texts["done"].format(built=plural(len(done.built), built_one, built_many, lang=lang),
                                    unchanged=plural(len(done.unchanged), same_one, same_many, lang=lang), out=out))
    return 0


@click.command()
@click.argument("path", type=PATH, required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=DEFAULT_FORMAT, show_default=True, help="Package format.")
@click.option("--out", type=PATH, default=Path("dist"), show_default=True, help="Folder for the packages.")
@click.option("--force", is_flag=True, help="Rebuild every package, changed or not.")
@LANG
def build(path: Path | None, fmt: str, out: Path, force: bool, lang: str) -> None:
    """Build one package (zip) per module of the catalogue."""
    sys.exit(run(choose_catalogue(path, lang), fmt, out, force, lang))
