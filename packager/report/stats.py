"""Who has learnt what, computed from the LRS's statements.

A module taken in its tool course or in a job path is one activity (one IRI), so a learner's
result counts once, wherever it was earned. For each learner and module the best outcome counts
(passed, then completed, then failed); time is the sum of the attempts' durations.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.iri import module_iri

_RANK = {"failed": 0, "completed": 1, "passed": 2}
_ISO = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def seconds(duration: str) -> float:
    match = _ISO.match(duration or "")
    if not match:
        return 0.0
    days, hours, minutes, secs = (float(x or 0) for x in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + secs


@dataclass
class LearnerModule:
    status: str
    score: float | None  # best scaled score × 100
    seconds: float


@dataclass
class Row:
    """One line of a table: a module, a tool course or a job path."""

    key: str
    title: str
    learners: int = 0
    completed: int = 0
    passed: int = 0
    failed: int = 0
    assessed: bool = False
    average_score: float | None = None
    average_minutes: float | None = None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.learners if self.learners else None

    @property
    def pass_rate(self) -> float | None:
        judged = self.passed + self.failed
        return self.passed / judged if self.assessed and judged else None

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


def learner_of(actor: dict[str, Any]) -> str:
    account = actor.get("account")
    if account:
        return f"{account.get('homePage')}|{account.get('name')}"
    return str(actor.get("mbox") or actor.get("mbox_sha1sum") or actor.get("openid"))


def outcomes(statements: Iterable[dict[str, Any]], units: dict[str, ModuleUnit], base: str) -> dict[str, dict[str, LearnerModule]]:
    """module key → learner → best outcome."""
    by_iri = {module_iri(base, unit): key for key, unit in units.items()}
    found: dict[str, dict[str, LearnerModule]] = {}
    for statement in statements:
        key = by_iri.get(statement.get("object", {}).get("id", ""))
        verb = statement.get("verb", {}).get("id", "").rsplit("/", 1)[-1]
        if key is None or verb not in _RANK:
            continue
        result = statement.get("result", {})
        scaled = result.get("score", {}).get("scaled")
        score = round(scaled * 100, 1) if isinstance(scaled, (int, float)) else None
        learner = learner_of(statement.get("actor", {}))
        current = found.setdefault(key, {}).get(learner)
        spent = seconds(result.get("duration", ""))
        if current is None:
            found[key][learner] = LearnerModule(verb, score, spent)
            continue
        if _RANK[verb] > _RANK[current.status]:
            current.status = verb
        if score is not None and (current.score is None or score > current.score):
            current.score = score
        current.seconds += spent
    return found


def _average(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _module_row(key: str, unit: ModuleUnit, learners: dict[str, LearnerModule]) -> Row:
    row = Row(key=key, title=f"{unit.module.title}", assessed=unit.completion.rule in ("quiz", "both") and unit.has_quiz)
    row.learners = len(learners)
    row.completed = sum(1 for o in learners.values() if o.status in ("passed", "completed"))
    row.passed = sum(1 for o in learners.values() if o.status == "passed")
    row.failed = sum(1 for o in learners.values() if o.status == "failed")
    row.average_score = _average([o.score for o in learners.values() if o.score is not None])
    row.average_minutes = _average([o.seconds / 60 for o in learners.values()])
    return row


def _group_row(key: str, title: str, members: list[str], found: dict[str, dict[str, LearnerModule]], units: dict[str, ModuleUnit]) -> Row:
    """A course or a path is complete for a learner when each member module is."""
    learners = {learner for member in members for learner in found.get(member, {})}
    row = Row(key=key, title=title, learners=len(learners))
    row.assessed = any(units[m].completion.rule in ("quiz", "both") and units[m].has_quiz for m in members)
    row.completed = sum(1 for learner in learners
                        if all(found.get(m, {}).get(learner) and found[m][learner].status in ("passed", "completed") for m in members))
    judged = [(m, learner) for m in members if units[m].has_quiz for learner in learners if learner in found.get(m, {})]
    row.passed = sum(1 for m, learner in judged if found[m][learner].status == "passed")
    row.failed = sum(1 for m, learner in judged if found[m][learner].status == "failed")
    scores = [o.score for m in members for o in found.get(m, {}).values() if o.score is not None]
    row.average_score = _average(scores)
    per_learner = [sum(found[m][learner].seconds for m in members if learner in found.get(m, {})) / 60 for learner in learners]
    row.average_minutes = _average(per_learner)
    return row


def compute(catalogue: Catalogue, statements: list[dict[str, Any]]) -> Report:
    assert catalogue.settings is not None
    units = {unit.key: unit for unit in catalogue.modules()}
    found = outcomes(statements, units, catalogue.settings.base_iri)
    modules = [_module_row(key, unit, found.get(key, {})) for key, unit in units.items()]
    tools = [_group_row(tool.id, tool.title, [f"{tool.id}/{m.id}" for m in tool.modules], found, units)
             for tool in catalogue.tools.values()]
    jobs = [_group_row(job.id, job.title, [f"{job.id}/intro"] + [r.ref for r in job.modules if r.required], found, units)
            for job in catalogue.jobs.values()]
    learners = {learner for per_module in found.values() for learner in per_module}
    return Report(modules, tools, jobs, learners=len(learners), statements=len(statements))
