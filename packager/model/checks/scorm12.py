"""Limits of SCORM 1.2, the only format the Moodle mobile app plays: one-character choice
responses and 4,096 characters of resume state."""

from __future__ import annotations

from collections.abc import Iterator

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.checks import walk
from packager.model.format import Matching, Ordering
from packager.model.problems import Problem
from packager.model.resume import MAX_CHOICES, SCORM12_SUSPEND_DATA_MAX, max_suspend_data_length


def _items(question: object) -> tuple[str, int]:
    if isinstance(question, Ordering):
        return "items", len(question.items)
    if isinstance(question, Matching):
        return "pairs", len(question.pairs)
    return "choices", len(walk.choices(question))


def _check_unit(unit: ModuleUnit) -> Iterator[Problem]:
    questions = []
    for path, question in walk.questions(unit):
        questions.append(question)
        field, count = _items(question)
        if count > MAX_CHOICES:
            yield unit.doc.problem(path + (field,), "scorm12.too_many_choices", {"count": count, "max": MAX_CHOICES}, prefer_key=True)
    size = max_suspend_data_length(len(unit.module.pages), questions)
    if size > SCORM12_SUSPEND_DATA_MAX:
        yield unit.doc.problem(unit.path + ("id",), "scorm12.suspend_data", {"size": size, "max": SCORM12_SUSPEND_DATA_MAX})


def check(catalogue: Catalogue) -> Iterator[Problem]:
    for unit in catalogue.modules():
        yield from _check_unit(unit)
