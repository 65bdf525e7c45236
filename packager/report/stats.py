"""Who has learnt what, computed from the report's store exactly as docs/report.md defines it.

Counts are sets of learners, so no figure can go negative; a module counts every attempt wherever
it was made, a tool course or a job path only the attempts made in its own Moodle course; the time
of an attempt is Moodle's total time of that attempt (the longest duration its statements carry),
never a sum. It reads the store's folded facts (per object, grouping and learner; per attempt),
not its statements one by one.
"""

from __future__ import annotations

import datetime
from typing import Any
from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.packaging.content import quiz_view
from packager.model.iri import course_iri, module_iri, page_iri, question_iri
from packager.report.tables import COMPLETED, FAILED, PASSED, Learning, Times


@dataclass
class Row:
    """One line of a table: a module, a tool course or a job path."""

    key: str
    title: str
    started: int = 0
    completed: int = 0
    passed: int = 0
    failed: int | None = 0  # None for courses and paths: "failed" is defined per module only
    assessed: bool = False
    best_score: float | None = None
    minutes_per_attempt: float | None = None
    attempts: int = 0

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.started if self.started else None

    @property
    def pass_rate(self) -> float | None:
        if not self.assessed:
            return None
        judged = self.passed + self.failed if self.failed is not None else self.started
        return self.passed / judged if judged else None

    @property
    def only_completed(self) -> int:
        return self.completed - self.passed


@dataclass
class Report:
    modules: list[Row]
    tools: list[Row]
    jobs: list[Row]
    learners: int
    statements: int
    generated: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))
    #: per module with answers or pages seen: its questions and its funnel (report.items.ModuleItems)
    items: list[Any] = field(default_factory=list)
    #: « Agents à accompagner » (report.followup.Agent)
    agents: list[Any] = field(default_factory=list)
    idle_days: int = 14
    #: what the first line of every file says (personal data, for whom)
    notice: str = ""


_VERBS = ((PASSED, "passed"), (FAILED, "failed"), (COMPLETED, "completed"))


@dataclass
class _Learning:
    """One learner's facts about one module, in one course (or anywhere)."""

    verbs: set[str] = field(default_factory=set)
    best: float | None = None
    #: the time of the learner's first statement about it (UTC text, see ``rows.utc_text``)
    first: str = ""

    @property
    def completed(self) -> bool:
        return bool(self.verbs & {"completed", "passed"})

    def add(self, bits: int, scaled: float | None, first: str = "") -> None:
        self.verbs |= {verb for bit, verb in _VERBS if bits & bit}
        if scaled is not None and (self.best is None or scaled > self.best):
            self.best = scaled
        if first and (not self.first or first < self.first):
            self.first = first

    def merge(self, other: _Learning) -> None:
        self.verbs |= other.verbs
        if other.best is not None and (self.best is None or other.best > self.best):
            self.best = other.best
        if other.first and (not self.first or other.first < self.first):
            self.first = other.first


class Facts:
    """Facts by (module key, course taken in), then learner; attempt times by (module, course taken in)."""

    def __init__(self) -> None:
        self.learning: dict[tuple[str, str], dict[str, _Learning]] = defaultdict(dict)
        self.times: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])  # [attempts, seconds]
        self.learners: set[str] = set()
        self.statements = 0

    def courses_of(self, module: str) -> list[dict[str, _Learning]]:
        return [learners for (key, _course), learners in self.learning.items() if key == module]

    def minutes(self) -> dict[tuple[str, str], tuple[int, float]]:
        """(attempts, their total time in minutes) by (module, course taken in)."""
        return {where: (int(count), seconds / 60) for where, (count, seconds) in self.times.items()}


class Places:
    """Where a statement belongs: (module key, course taken in), from its object (a module, one of
    its pages or questions) or its grouping (a cmi5 package's own statements), and the job path
    in its grouping, else the module's own tool course."""

    def __init__(self, catalogue: Catalogue) -> None:
        assert catalogue.settings is not None
        base = catalogue.settings.base_iri
        self.units: dict[str, ModuleUnit] = {}
        for unit in catalogue.modules():
            self.units[module_iri(base, unit)] = unit
            self.units.update({page_iri(base, unit, page.id): unit for page in unit.module.pages})
            found = quiz_view(unit)
            if found is not None:
                self.units.update({question_iri(base, unit, q.id): unit for q in found["quiz"].questions})
        self.jobs = {course_iri(base, job.id): job.id for job in catalogue.jobs.values()}
        self._where: dict[tuple[str, str], tuple[str, str] | None] = {}

    def __call__(self, target: str, grouping: str) -> tuple[str, str] | None:
        if (target, grouping) in self._where:
            return self._where[(target, grouping)]
        groups = grouping.split()
        unit = self.units.get(target) or next((self.units[g] for g in groups if g in self.units), None)
        found = self._where[(target, grouping)] = None if unit is None else (
            unit.key, next((self.jobs[g] for g in groups if g in self.jobs), unit.course.id))
        return found


def gather(catalogue: Catalogue, learning: Iterable[Learning], times: Iterable[Times],
           place: Places | None = None) -> Facts:
    place = place or Places(catalogue)
    facts = Facts()
    for target, grouping, learner, bits, best, statements, first in learning:
        found = place(target, grouping)
        if found is None:
            continue
        facts.statements += statements
        facts.learners.add(learner)
        facts.learning[found].setdefault(learner, _Learning()).add(bits, best, first)
    for target, grouping, count, seconds in times:
        found = place(target, grouping)
        if found is not None:
            facts.times[found][0] += count
            facts.times[found][1] += seconds
    return facts


def _mean(values: list[float], digits: int = 1) -> float | None:
    return round(sum(values) / len(values), digits) if values else None


def _per_attempt(parts: list[tuple[int, float]]) -> tuple[float | None, int]:
    """(mean minutes per attempt, attempts) over (attempts, total minutes) parts."""
    count = sum(c for c, _ in parts)
    return (round(sum(m for _, m in parts) / count, 1) if count else None), count


def _assessed(unit: ModuleUnit) -> bool:
    return unit.completion.rule in ("quiz", "both") and unit.has_quiz


def _merge(parts: list[dict[str, _Learning]]) -> dict[str, _Learning]:
    merged: dict[str, _Learning] = {}
    for part in parts:
        for learner, learning in part.items():
            merged.setdefault(learner, _Learning()).merge(learning)
    return merged


def _module_row(unit: ModuleUnit, facts: Facts, minutes: dict[tuple[str, str], tuple[int, float]]) -> Row:
    learners = _merge(facts.courses_of(unit.key))
    per_attempt, attempts = _per_attempt([part for (module, _course), part in minutes.items() if module == unit.key])
    row = Row(key=unit.key, title=unit.module.title, assessed=_assessed(unit), attempts=attempts)
    row.started = len(learners)
    row.completed = sum(1 for learning in learners.values() if learning.completed)
    row.passed = sum(1 for learning in learners.values() if "passed" in learning.verbs)
    row.failed = sum(1 for learning in learners.values() if "failed" in learning.verbs and "passed" not in learning.verbs)
    row.best_score = _mean([learning.best * 100 for learning in learners.values() if learning.best is not None])
    row.minutes_per_attempt = per_attempt
    return row


def _course_row(key: str, title: str, members: list[ModuleUnit], facts: Facts,
                minutes: dict[tuple[str, str], tuple[int, float]]) -> Row:
    per_member = {unit.key: facts.learning.get((unit.key, key), {}) for unit in members}
    learners = {learner for part in per_member.values() for learner in part}
    quizzes = [unit for unit in members if _assessed(unit)]
    row = Row(key=key, title=title, failed=None, assessed=bool(quizzes))
    row.started = len(learners)
    row.completed = sum(1 for learner in learners
                        if all(learner in per_member[u.key] and per_member[u.key][learner].completed for u in members))
    row.passed = sum(1 for learner in learners
                     if quizzes and all("passed" in per_member[u.key].get(learner, _Learning()).verbs for u in quizzes))
    row.best_score = _mean([learning.best * 100 for part in per_member.values() for learning in part.values() if learning.best is not None])
    row.minutes_per_attempt, row.attempts = _per_attempt([minutes[(u.key, key)] for u in members if (u.key, key) in minutes])
    return row


def compute(catalogue: Catalogue, learning: Iterable[Learning], times: Iterable[Times], facts: Facts | None = None) -> Report:
    facts = facts or gather(catalogue, learning, times)
    minutes = facts.minutes()
    units = {unit.key: unit for unit in catalogue.modules()}
    modules = [_module_row(unit, facts, minutes) for unit in units.values()]
    tools = [_course_row(tool.id, tool.title, [units[f"{tool.id}/{m.id}"] for m in tool.modules], facts, minutes)
             for tool in catalogue.tools.values()]
    jobs = [_course_row(job.id, job.title, [units[f"{job.id}/intro"]] + [units[r.ref] for r in job.modules if r.required],
                        facts, minutes) for job in catalogue.jobs.values()]
    return Report(modules, tools, jobs, learners=len(facts.learners), statements=facts.statements)
