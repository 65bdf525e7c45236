"""xAPI 1.0.3 statements from Moodle results, built with the ``tincan`` library.

A statement's id is a UUIDv5 of learner, module, attempt and verb: a retry, a re-run or a resumed
sync sends the same id, which the LRS keeps once. The registration is a UUIDv5 of learner,
module and attempt, so every statement about one attempt shares it.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    AgentAccount,
    Context,
    ContextActivities,
    LanguageMap,
    Result,
    Score,
    Statement,
    Verb,
)

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.languages import language_tag
from packager.model.iri import catalogue_iri, competence_iri, course_iri, module_iri
from packager.sync.results import AttemptResult

#: Fixed namespace: the same learner, module, attempt and verb give the same id, forever.
NAMESPACE = uuid.UUID("6f1b9c44-1d6e-5a53-9a3e-8f1c0b2d7e31")
VERBS = {
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"

ActorName = Literal["username", "idnumber"]


@dataclass(frozen=True)
class ActorPolicy:
    """How learners are named in the LRS: a Moodle account (username or ID number), or an
    e-mail address only when the authority asks for it."""

    moodle_url: str
    name: ActorName = "username"
    email: bool = False


def statement_id(learner: str, module: str, attempt: int, verb: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"statement|{learner}|{module}|{attempt}|{verb}")


def registration(learner: str, module: str, attempt: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"registration|{learner}|{module}|{attempt}")


def verb_of(result: AttemptResult) -> str | None:
    """passed / failed when the package decided, completed when it was only completed."""
    success = result.success_status if result.success_status in ("passed", "failed") else result.lesson_status
    if success in ("passed", "failed"):
        return success
    if result.lesson_status == "completed" or result.completion_state in (1, 2):
        return "completed"
    return None


_SCORM12_TIME = re.compile(r"^(\d+):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$")
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration(total_time: str) -> datetime.timedelta | None:
    """SCORM 1.2 ``HHHH:MM:SS.SS`` or SCORM 2004 ``PT1H2M3.4S``."""
    if match := _SCORM12_TIME.match(total_time):
        hours, minutes, seconds, hundredths = match.groups()
        return datetime.timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds),
                                  milliseconds=int((hundredths or "0").ljust(2, "0")) * 10)
    if (match := _ISO_DURATION.match(total_time)) and total_time not in ("P", "PT"):
        days, hours, minutes, seconds = match.groups()
        return datetime.timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                                  seconds=float(seconds or 0))
    return None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _score(result: AttemptResult) -> Score | None:
    raw = _number(result.score_raw)
    if raw is None:
        return None
    low = _number(result.score_min)
    high = _number(result.score_max)
    low = 0.0 if low is None else low
    high = 100.0 if high is None else high
    scaled = (raw - low) / (high - low) if high > low else None
    if scaled is not None:
        scaled = max(-1.0, min(1.0, round(scaled, 4)))
    return Score(raw=raw, min=low, max=high, scaled=scaled)


def _activity(iri: str, name: str, kind: str | None, language: str) -> Activity:
    definition = ActivityDefinition(name=LanguageMap({language: name}))
    if kind:
        definition.type = kind
    return Activity(id=iri, definition=definition)


def _json(serializable: Any) -> Any:
    return json.loads(serializable.to_json())


class StatementFactory:
    """Builds statements for one catalogue; what depends only on the module (the object and the
    context activities) is built once per module, which keeps 50,000 results fast."""

    def __init__(self, catalogue: Catalogue, actor: ActorPolicy) -> None:
        assert catalogue.settings is not None
        self.catalogue = catalogue
        self.actor = actor
        self.base = catalogue.settings.base_iri
        self._parts: dict[str, tuple[dict, dict, str]] = {}

    def _unit_parts(self, unit: ModuleUnit) -> tuple[dict, dict, str]:
        """(object, contextActivities, language tag) of a module, as JSON."""
        if unit.key not in self._parts:
            catalogue, base = self.catalogue, self.base
            language = language_tag(unit.language)
            parent = [_activity(course_iri(base, unit.course.id), unit.course.title, COURSE_TYPE, language)]
            grouping = [_activity(course_iri(base, job.id), job.title, COURSE_TYPE, language)
                        for job in catalogue.jobs.values() if any(ref.ref == unit.key for ref in job.modules)]
            grouping.append(_activity(catalogue_iri(base), catalogue.settings.site_name, None, language))  # type: ignore[union-attr]
            category = [Activity(id=competence_iri(base, code)) for code in unit.course.competences]
            activities = ContextActivities(parent=parent, grouping=grouping, category=category or None)
            target = _activity(module_iri(base, unit), unit.module.title, MODULE_TYPE, language)
            self._parts[unit.key] = (_json(target), _json(activities), language)
        return self._parts[unit.key]

    def build(self, result: AttemptResult, unit: ModuleUnit) -> dict[str, Any] | None:
        verb = verb_of(result)
        if verb is None:
            return None
        target, activities, language = self._unit_parts(unit)
        actor = self.actor
        learner = result.useridnumber if actor.name == "idnumber" and result.useridnumber else result.username
        if actor.email and result.email:
            agent = Agent(mbox=f"mailto:{result.email}")
        else:
            agent = Agent(account=AgentAccount(name=learner, home_page=actor.moodle_url))
        outcome = Result(success={"passed": True, "failed": False}.get(verb), completion=True if verb != "failed" else None)
        score = _score(result)
        if score is not None:
            outcome.score = score
        spent = duration(result.total_time)
        if spent is not None:
            outcome.duration = spent
        statement = _json(Statement(
            id=statement_id(learner, unit.key, result.attempt, verb),
            actor=agent,
            verb=Verb(id=VERBS[verb], display=LanguageMap({"en-US": verb})),
            result=outcome,
            context=Context(registration=registration(learner, unit.key, result.attempt), platform="Moodle",
                            language=language),
            timestamp=datetime.datetime.fromtimestamp(result.timemodified, tz=datetime.timezone.utc),
        ))
        statement["object"] = target
        statement["context"]["contextActivities"] = activities
        return statement
