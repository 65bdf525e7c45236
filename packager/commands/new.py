"""The new-course use case: a commented starting file that already validates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packager.commands.errors import Stop
from packager.model.catalogue import load_catalogue
from packager.model.format import SLUG_PATTERN
from packager.model.location import find_root
from packager.model.scaffold import render
from packager.model.schema_errors import slug_example

#: Where new files go inside the catalogue (mediators browse the catalogue by these folders).
FOLDERS = {"tool": "outils", "job": "metiers"}


@dataclass(frozen=True)
class Created:
    file: Path
    root: Path


def _shown(text: str) -> str:
    """The id as typed, with invisible characters (a newline, a tab) made visible."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def create(kind: str, course_id: str, catalogue_path: Path) -> Created:
    """Raises ``Stop`` (exit code 2) for a bad or taken id, an existing file, no catalogue."""
    if not re.fullmatch(SLUG_PATTERN, course_id) or len(course_id) > 64:  # fullmatch: "$" lets "id\n" through
        example = slug_example(course_id) if slug_example(course_id) != "mon-identifiant" else "mon-cours"
        raise Stop("bad_id", 2, id=_shown(course_id), example=example)
    root = find_root(catalogue_path)
    if root is None:
        raise Stop("no_catalogue", 2, path=catalogue_path)
    catalogue = load_catalogue(root)
    if course_id in catalogue.docs:
        raise Stop("taken", 2, id=course_id)
    target = root / FOLDERS[kind] / f"{course_id}.yml"
    if target.exists():
        raise Stop("exists", 2, file=target)
    example_ref = next((f"{t}/{tool.modules[0].id}" for t, tool in catalogue.tools.items()), "cours-outil/module")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(render(kind, course_id, example_ref))
    return Created(target, root)
