"""Checks that need the whole catalogue, the disk or several fields at once.

Each module holds one concern and a ``check(catalogue)`` generator; ``validate_catalogue`` runs
them all after loading, so that a single ``coursepack validate`` reports every problem.
"""

from __future__ import annotations

from pathlib import Path

from packager.model.cache import Summary, ValidationCache, fingerprint
from packager.model.catalogue import Catalogue, load_catalogue
from packager.model.checks import (
    accessibility,
    characters,
    identity,
    media,
    moodle,
    quiz,
    references,
    scaffold,
    scorm12,
    text,
)
from packager.model.problems import sort_key

CHECKS = (characters, identity, references, media, accessibility, text, scaffold, quiz, scorm12, moodle)


def validate_catalogue(root: Path) -> Catalogue:
    """Load the catalogue at ``root`` and run every check; problems are sorted by position.

    Only changed files are parsed again; every cross-file check runs (see ``packager.model.cache``)."""
    root = root.resolve()
    cache = ValidationCache(root)
    key = fingerprint(root)
    catalogue = load_catalogue(root, cache)
    for check in CHECKS:
        catalogue.problems.extend(check.check(catalogue))
    catalogue.problems.sort(key=sort_key)
    catalogue.fingerprint = key
    cache.keep_whole(key, Summary(catalogue.problems, len(catalogue.tools), len(catalogue.jobs), len(list(catalogue.modules()))))
    return catalogue
