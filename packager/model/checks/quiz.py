"""Quiz rules a schema cannot express: right answers that make sense, one quiz per module, and a
completion rule the module can actually reach (Moodle must never wait for a quiz that is not there)."""

from __future__ import annotations

from collections.abc import Iterator

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.checks import walk
from packager.model.format import FillIn, Matching, MultipleChoice, Ordering, SingleChoice
from packager.model.problems import Problem
from packager.model.resume import FILL_IN_MAX_LENGTH
from packager.utils.yamlload import Path as DataPath


def _repeated(values: list[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, value in enumerate(values):
        key = value.strip().casefold()
        if key in seen:
            yield index, value
        seen.add(key)


def _check_question(unit: ModuleUnit, path: DataPath, question: object) -> Iterator[Problem]:
    doc = unit.doc
    if isinstance(question, (SingleChoice, MultipleChoice)):
        right = sum(choice.correct for choice in question.choices)
        if isinstance(question, SingleChoice) and right != 1:
            yield doc.problem(path + ("choices",), "quiz.single_correct", {"count": right}, prefer_key=True)
        if isinstance(question, MultipleChoice) and right == 0:
            yield doc.problem(path + ("choices",), "quiz.multiple_no_correct", prefer_key=True)
        for index, text in _repeated([choice.text for choice in question.choices]):
            yield doc.problem(path + ("choices", index, "text"), "quiz.duplicate_choice", {"text": text})
    elif isinstance(question, Ordering):
        for index, text in _repeated(question.items):
            yield doc.problem(path + ("items", index), "quiz.duplicate_choice", {"text": text})
    elif isinstance(question, Matching):
        for side in ("left", "right"):
            for index, text in _repeated([getattr(pair, side) for pair in question.pairs]):
                yield doc.problem(path + ("pairs", index, side), "quiz.duplicate_choice", {"text": text})
    elif isinstance(question, FillIn):
        for index, answer in enumerate(question.answers):
            if len(answer) > FILL_IN_MAX_LENGTH:
                params = {"length": len(answer), "max": FILL_IN_MAX_LENGTH}
                yield doc.problem(path + ("answers", index), "quiz.answer_too_long", params)


def _check_unit(unit: ModuleUnit) -> Iterator[Problem]:
    quizzes = list(walk.quizzes(unit))
    for path, _page, _block in quizzes[1:]:
        yield unit.doc.problem(path, "quiz.several", {"first": quizzes[0][1].id}, prefer_key=True)
    if unit.completion.rule in ("quiz", "both") and not quizzes:
        has_own_rule = unit.path and unit.module.completion is not None
        where = unit.path + ("completion", "rule") if has_own_rule else unit.path + ("id",)
        yield unit.doc.problem(where, "quiz.missing_for_rule", {"rule": unit.completion.rule})
    for path, question in walk.questions(unit):
        yield from _check_question(unit, path, question)


def check(catalogue: Catalogue) -> Iterator[Problem]:
    for unit in catalogue.modules():
        yield from _check_unit(unit)
