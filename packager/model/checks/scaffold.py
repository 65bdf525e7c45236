"""Sample texts of ``coursepack new`` left in a course (« Titre du cours », « Tous les agents »):
the file validates, so nothing else would tell the mediator before agents read them."""

from __future__ import annotations

from collections.abc import Iterator

from packager.model.catalogue import Catalogue
from packager.model.checks import walk
from packager.model.problems import Problem, Severity
from packager.model.scaffold import sample_lines


def check(catalogue: Catalogue) -> Iterator[Problem]:
    samples = sample_lines()
    for doc in catalogue.docs.values():
        for path, text in walk.strings(doc.data):
            if path and path[-1] == text:
                continue  # a key
            left = next((line.strip() for line in text.splitlines() if line.strip() in samples), None)
            if left is not None:
                yield doc.problem(path, "text.template", {"text": left}, Severity.WARNING)
