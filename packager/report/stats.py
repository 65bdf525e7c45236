"""Who has learnt what, computed from the report's store exactly as docs/report.md defines it.

Counts are sets of learners, so no figure can go negative; a module counts every attempt wherever
it was made, a tool course or a job path only the attempts made in its own Moodle course; the time
of an attempt is Moodle's total time of that attempt (the longest duration its statements carry),
never a sum.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.iri import course_iri, module_iri
from packager.report.store import Row as Fact


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
    generated: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.timezone.utc))


@dataclass
class _Learning:
    """One learner's facts about one module, in one course (or anywhere)."""

    verbs: set[str] = field(default_factory=set)
    best: float | None = None

    @property
    def completed(self) -> bool:
        return bool(self.verbs & {"completed", "passed"})

    def add(self, verb: str, scaled: float | None) -> None:
        self.verbs.add(verb)
        if scaled is not None and (self.best is None or scaled > self.best):
            self.best = scaled

    def merge(self, other: "_Learning") -> None:
        self.verbs |= other.verbs
        if other.best is not None and (self.best is None or other.best > self.best):
            self.best = other.best


class _Facts:
    """Facts by (module key, course taken in), then learner; attempt times by (module, course, attempt)."""

    def __init__(self) -> None:
        self.learning: dict[tuple[str, str], dict[str, _Learning]] = defaultdict(dict)
        self.times: dict[tuple[str, str, str], float] = {}
        self.learners: set[str] = set()
        self.statements = 0

    def courses_of(self, module: str) -> list[dict[str, _Learning]]:
        return [learners for (key, _course), learners in self.learning.items() if key == module]

    def minutes(self) -> dict[tuple[str, str], list[float]]:
        """Attempt times in minutes by (module, course taken in)."""
        found: dict[tuple[str, str], list[float]] = defaultdict(list)
        for (module, course, _attempt), seconds in self.times.items():
            found[(module, course)].append(seconds / 60)
        return found


def _gather(catalogue: Catalogue, rows: Iterable[Fact]) -> _Facts:
    assert catalogue.settings is not None
    base = catalogue.settings.base_iri
    units = {module_iri(base, unit): unit for unit in catalogue.modules()}
    jobs = {course_iri(base, job.id): job.id for job in catalogue.jobs.values()}
    facts = _Facts()
    where: dict[tuple[str, str], tuple[str, str] | None] = {}  # (object, grouping) → (module key, course taken in)

    def place(target: str, grouping: str) -> tuple[str, str] | None:
        groups = grouping.split()
        unit = units.get(target) or next((units[g] for g in groups if g in units), None)
        if unit is None:
            return None
        return unit.key, next((jobs[g] for g in groups if g in jobs), unit.course.id)

    for ident, learner, target, grouping, registration, verb, scaled, seconds in rows:
        found = where.get((target, grouping), False)
        if found is False:
            found = where[(target, grouping)] = place(target, grouping)
        if found is None:
            continue
        facts.statements += 1
        facts.learners.add(learner)
        facts.learning[found].setdefault(learner, _Learning()).add(verb, scaled)
        if seconds is not None:
            attempt = (*found, f"{learner}|{registration or ident}")
            facts.times[attempt] = max(facts.times.get(attempt, 0.0), seconds)
    return facts


def _mean(values: list[float], digits: int = 1) -> float | None:
    return round(sum(values) / len(values), digits) if values else None


def _assessed(unit: ModuleUnit) -> bool:
    return unit.completion.rule in ("quiz", "both") and unit.has_quiz


def _merge(parts: list[dict[str, _Learning]]) -> dict[str, _Learning]:
    merged: dict[str, _Learning] = {}
    for part in parts:
        for learner, learning in part.items():
            merged.setdefault(learner, _Learning()).merge(learning)
    return merged


def _module_row(unit: ModuleUnit, facts: _Facts, minutes: dict[tuple[str, str], list[float]]) -> Row:
    learners = _merge(facts.courses_of(unit.key))
    times = [m for (module, _course), values in minutes.items() if module == unit.key for m in values]
    row = Row(key=unit.key, title=unit.module.title, assessed=_assessed(unit), attempts=len(times))
    row.started = len(learners)
    row.completed = sum(1 for l in learners.values() if l.completed)
    row.passed = sum(1 for l in learners.values() if "passed" in l.verbs)
    row.failed = sum(1 for l in learners.values() if "failed" in l.verbs and "passed" not in l.verbs)
    row.best_score = _mean([l.best * 100 for l in learners.values() if l.best is not None])
    row.minutes_per_attempt = _mean(times)
    return row


def _course_row(key: str, title: str, members: list[ModuleUnit], facts: _Facts,
                minutes: dict[tuple[str, str], list[float]]) -> Row:
    per_member = {unit.key: facts.learning.get((unit.key, key), {}) for unit in members}
    learners = {learner for part in per_member.values() for learner in part}
    quizzes = [unit for unit in members if _assessed(unit)]
    row = Row(key=key, title=title, failed=None, assessed=bool(quizzes))
    row.started = len(learners)
    row.completed = sum(1 for learner in learners
                        if all(learner in per_member[u.key] and per_member[u.key][learner].completed for u in members))
    row.passed = sum(1 for learner in learners
                     if quizzes and all("passed" in per_member[u.key].get(learner, _Learning()).verbs for u in quizzes))
    row.best_score = _mean([l.best * 100 for part in per_member.values() for l in part.values() if l.best is not None])
    times = [m for unit in members for m in minutes.get((unit.key, key), [])]
    row.minutes_per_attempt, row.attempts = _mean(times), len(times)
    return row


def compute(catalogue: Catalogue, rows: Iterable[Fact]) -> Report:
    facts = _gather(catalogue, rows)
    minutes = facts.minutes()
    units = {unit.key: unit for unit in catalogue.modules()}
    modules = [_module_row(unit, facts, minutes) for unit in units.values()]
    tools = [_course_row(tool.id, tool.title, [units[f"{tool.id}/{m.id}"] for m in tool.modules], facts, minutes)
             for tool in catalogue.tools.values()]
    jobs = [_course_row(job.id, job.title, [units[f"{job.id}/intro"]] + [units[r.ref] for r in job.modules if r.required],
                        facts, minutes) for job in catalogue.jobs.values()]
    return Report(modules, tools, jobs, learners=len(facts.learners), statements=facts.statements)
