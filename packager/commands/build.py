"""``coursepack build``: one package per module, only for what changed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packager.build.formats import DEFAULT_FORMAT, FORMATS
from packager.build.state import up_to_date
from packager.commands.locate import resolve_catalogue
from packager.model.messages import plural

__all__ = ["DEFAULT_FORMAT", "FORMATS", "run"]

_TEXTS = {
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


def run(path: Path, fmt: str, out: Path, force: bool = False, lang: str = "fr") -> int:
    texts = _TEXTS[lang]
    unchanged = None if force else up_to_date(resolve_catalogue(path)[0], fmt, out)
    if unchanged is not None:  # nothing changed since the last build: nothing to parse or write
        built: list[Path] = []
    else:
        from packager.build.pipeline import build_catalogue  # the template engine and the model: only now
        from packager.commands.catalogue_input import valid_catalogue

        catalogue = valid_catalogue(path, lang, texts["refused"])
        if catalogue is None:
            return 1
        units = list(catalogue.modules())
        with click.progressbar(length=len(units), label=texts["progress"], file=sys.stderr) as bar:
            result = build_catalogue(catalogue, fmt, out, force=force, units=units, on_module=lambda _unit: bar.update(1))
        built, unchanged = result.built, result.unchanged
    click.echo(texts["done"].format(built=plural(len(built), *texts["built"], lang=lang),
                                    unchanged=plural(len(unchanged), *texts["unchanged"], lang=lang), out=out))
    return 0
