"""Checks that need the whole catalogue, the disk or several fields at once.

Each module holds one concern and a ``check(catalogue)`` generator; ``validate_catalogue`` runs
them all after loading, so that a single ``coursepack validate`` reports every problem.
"""

from __future__ import annotations

from pathlib import Path

from packager.model.catalogue import Catalogue, load_catalogue
from packager.model.checks import accessibility, identity, media, moodle, quiz, references, scorm12
from packager.model.problems import sort_key

CHECKS = (identity, references, media, accessibility, quiz, scorm12, moodle)


def validate_catalogue(root: Path) -> Catalogue:
    """Load the catalogue at ``root`` and run every check; problems are sorted by position."""
    catalogue = load_catalogue(root)
    for check in CHECKS:
        catalogue.problems.extend(check.check(catalogue))
    catalogue.problems.sort(key=sort_key)
    return catalogue
