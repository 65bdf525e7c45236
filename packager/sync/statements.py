"""xAPI 1.0.3 statements from Moodle results (the per-module parts built once with ``tincan``).

Per attempt: one statement for the module (passed, failed, completed or attempted); one
``answered`` per SCORM interaction (a try at a question) and one ``experienced`` per page seen,
in the shapes docs/report.md defines, which the xAPI and cmi5 packages' player sends too, so that
the report reads SCORM and xAPI attempts alike.

A statement's id is a UUIDv5 of what the statement states: the learner (in the actor form the sync
state fixes), the Moodle activity instance (site and cmid: a module in its tool course and in a job
path are two activities), the attempt, the verb and the score, which can still change within one
attempt; for a named catalogue (``id`` in catalogue.yml), its id too. The site part is the
*statement home* (``sync/site.py``): what the site says of itself, never the address the client
used, so that a site reached at another address or moved sends nothing twice. A retry, a re-run or a resumed sync sends the same fact under the same id, which the LRS
keeps once; a new fact (another verb, another score) gets a new id. The registration is a UUIDv5
of learner, activity instance and attempt, so every statement about one attempt shares it.

``tincan``, by choice, builds only what many statements share (a module's activity and definition,
the context activities of a module taken in a course: once each); every statement is a plain dict
around those parts. Built and serialised through ``tincan.Statement``, 16,000 statements took
4.55 s against 0.21 s as dicts (22 times as long): on bench/sync_bench.py's 42,679 statements
(10,000 attempts with answers) that is some 12 s more for a client share of 2.05 s, far beyond
10 % of Ralph's raw ingest (33 s). What is sent is checked against the xAPI rules by the tests
(the strict LRS front, Ralph's own models), not again at run time.

Values are made valid before sending (xAPI requires min ≤ raw ≤ max; Moodle accepts raw 80 with max
50): the score is clamped and Moodle's original kept in a result extension, so that one odd
attempt never makes the LRS refuse a batch.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from tincan import Activity, ActivityDefinition, ContextActivities, LanguageMap

from packager.packaging.activities import unit_activities
from packager.packaging.content import quiz_view
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.languages import language_tag
from packager.model.iri import catalogue_iri, competence_iri, course_iri, module_iri, page_iri, question_iri
from packager.model.resume import pages_seen
from packager.sync.results import AttemptResult, Interaction
from packager.sync.values import SUCCESS, duration, iso_duration, score_of, utc, verb_of, xapi_response

#: Fixed namespace: the same fact gives the same id, forever.
NAMESPACE = uuid.UUID("6f1b9c44-1d6e-5a53-9a3e-8f1c0b2d7e31")
VERBS = {
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
}
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"

ActorName = Literal["username", "idnumber"]


@dataclass(frozen=True)
class ActorPolicy:
    """How learners are named in the LRS: a Moodle account (username or ID number), or an
    e-mail address only when the authority asks for it."""

    #: the statement home: base of the learners' account homePage and of the activity instances
    home: str = ""
    name: ActorName = "username"
    email: bool = False

    @property
    def form(self) -> str:
        """``username``, ``idnumber`` or ``email``: what the sync state records, and the Moodle
        identity field the plugin is asked for."""
        return "email" if self.email else self.name

    def identity(self, result: AttemptResult) -> str:
        """The Moodle field this form names a learner by ("" when Moodle did not give it)."""
        if self.email:
            return result.email
        return result.useridnumber if self.name == "idnumber" else result.username

    def agent(self, result: AttemptResult) -> dict[str, Any] | None:
        """The xAPI actor of a result, or None when Moodle did not give the field this form needs
        (a hidden field, an empty ID number): never another form in its place."""
        identity = self.identity(result)
        if not identity:
            return None
        return {"mbox": f"mailto:{identity}"} if self.email else {"account": {"homePage": self.home, "name": identity}}


def _learner(agent: dict[str, Any]) -> str:
    return json.dumps(agent, sort_keys=True, separators=(",", ":"))


def activity_instance(home: str, cmid: int) -> str:
    """The Moodle activity an attempt was made in, as an IRI (its view page)."""
    return f"{home.rstrip('/')}/mod/scorm/view.php?id={cmid}"


def scored_text(score: dict[str, Any] | None) -> str:
    """The part of a statement's id that the score gives."""
    return "" if not score else json.dumps([score.get("raw"), score.get("min"), score.get("max")])


def fact_id(name: str) -> str:
    """The statement id of a fact named ``name``: a UUIDv5 in the fixed namespace."""
    return str(uuid.uuid5(NAMESPACE, name))


def _scoped(catalogue: str | None) -> str:
    """What a named catalogue adds to the names ids are made from (nothing for the default one,
    whose ids stay those of the first versions)."""
    return f"|catalogue:{catalogue}" if catalogue else ""


def statement_id(learner: str, instance: str, attempt: int, verb: str, scored: str, catalogue: str | None = None) -> str:
    """``learner``: the actor as canonical JSON (``_learner``); ``scored``: ``scored_text``."""
    return fact_id(f"statement|{learner}|{instance}|{attempt}|{verb}|{scored}{_scoped(catalogue)}")


def legacy_statement_id(result: AttemptResult, module: str, verb: str, actor: ActorPolicy) -> str:
    """The id the first CoursePack version gave a fact, from (learner, module, attempt, verb)
    only: its sync state is a bare time per (Moodle, LRS) pair, and the statements sent around
    that time are looked for under these ids so that none is sent twice."""
    learner = result.useridnumber if actor.name == "idnumber" and result.useridnumber else result.username
    return fact_id(f"statement|{learner}|{module}|{result.attempt}|{verb}")


def registration(learner: str, instance: str, attempt: int, catalogue: str | None = None) -> str:
    return fact_id(f"registration|{learner}|{instance}|{attempt}{_scoped(catalogue)}")


def _activity(iri: str, name: str, kind: str | None, language: str) -> Activity:
    definition = ActivityDefinition(name=LanguageMap({language: name}))
    if kind:
        definition.type = kind
    return Activity(id=iri, definition=definition)


def _json(serializable: Any) -> Any:
    return json.loads(serializable.to_json())


class _ModuleParts:
    """What a module's answers and pages are named by: its questions by SCORM 1.2 interaction id
    (the question's YAML id: a slug, which the player writes as it is) and by IRI (the id SCORM
    2004 writes), and its pages by index (the location the player saves is the page's index),
    each with its definition as xapi-activities.json gives it."""

    def __init__(self, base: str, unit: ModuleUnit) -> None:
        definitions = {a["id"]: a for a in unit_activities(base, unit)}
        found = quiz_view(unit)
        questions = [] if found is None else found["quiz"].questions
        self.questions: dict[str, dict[str, Any]] = {}
        for question in questions:
            activity = definitions[question_iri(base, unit, question.id)]
            self.questions[question.id] = self.questions[activity["id"]] = activity
        self.pages = [definitions[page_iri(base, unit, page.id)] for page in unit.module.pages]


class StatementFactory:
    """Builds statements for one catalogue; what depends only on the module (the object and the
    context activities) is built once per module, which keeps 50,000 results fast."""

    def __init__(self, catalogue: Catalogue, actor: ActorPolicy, catalogue_id: str | None = None) -> None:
        assert catalogue.settings is not None
        self.catalogue = catalogue
        self.catalogue_id = catalogue_id
        self.actor = actor
        self.base = catalogue.settings.base_iri
        self._parts: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {}  # by module and course taken in
        # What many results share, computed once: learners (a few thousand), scores and total
        # times (a few hundred distinct values). The statements share these parts read-only.
        self._agents: dict[str, tuple[dict[str, Any], str]] = {}  # identity → (actor, canonical JSON)
        self._scores: dict[tuple[str, str, str], tuple[dict[str, Any] | None, dict[str, Any] | None, str]] = {}
        self._times: dict[str, str | None] = {}  # Moodle total time → ISO 8601 duration
        self._modules: dict[str, _ModuleParts] = {}  # by module key

    def _unit_parts(self, unit: ModuleUnit, taken_in: str | None) -> tuple[dict[str, Any], dict[str, Any], str]:
        """(object, contextActivities, language tag) of a module taken in a course, as JSON."""
        cache = f"{unit.key}|{taken_in}"
        if cache not in self._parts:
            catalogue, base = self.catalogue, self.base
            language = language_tag(unit.language)
            parent = [_activity(course_iri(base, unit.course.id), unit.course.title, COURSE_TYPE, language)]
            job = catalogue.jobs.get(taken_in or "")
            grouping = [_activity(course_iri(base, job.id), job.title, COURSE_TYPE, language)] if job and job.id != unit.course.id else []
            grouping.append(_activity(catalogue_iri(base), catalogue.settings.site_name, None, language))  # type: ignore[union-attr]
            category = [Activity(id=competence_iri(base, code)) for code in unit.course.competences]
            activities = ContextActivities(parent=parent, grouping=grouping, category=category or None)
            target = _activity(module_iri(base, unit), unit.module.title, MODULE_TYPE, language)
            self._parts[cache] = (_json(target), _json(activities), language)
        return self._parts[cache]

    def extension(self, name: str) -> str:
        return f"{self.base}extensions/{name}"

    def _actor(self, result: AttemptResult) -> tuple[dict[str, Any], str] | None:
        """(xAPI actor, its canonical JSON), or None when Moodle did not name the learner."""
        identity = self.actor.identity(result)
        if not identity:
            return None
        if identity not in self._agents:
            agent = self.actor.agent(result)
            assert agent is not None
            self._agents[identity] = ({"objectType": "Agent", **agent}, _learner(agent))
        return self._agents[identity]

    def statements(self, result: AttemptResult, unit: ModuleUnit,
                   taken_in: str | None = None) -> tuple[dict[str, Any] | None, list[dict[str, Any]], str]:
        """(the module's statement or None, the answers and pages, why there is no module statement)."""
        main, why = self.build(result, unit, taken_in)
        if why == "unidentified":
            return None, [], why
        return main, self.parts(result, unit, taken_in), why

    def parts(self, result: AttemptResult, unit: ModuleUnit, taken_in: str | None = None) -> list[dict[str, Any]]:
        """The attempt's ``answered`` statements (one per interaction, in index order) and
        ``experienced`` ones (each page its resume state marks as seen, then the page it is on).

        Ids name what each states: an answer by its interaction index, question, response and
        result (a later try has a new index: a new fact; the same attempt read again: the same
        ids); the page the learner is on by the time Moodle stored that location (coming back to
        a page is a new visit); another page seen by the page alone, timed at the attempt's start
        (it was seen between then and now; its time never changes, so neither does the statement)."""
        known = self._actor(result)
        if known is None or not (result.interactions or result.location or result.suspend_data):
            return []
        actor, learner = known
        if unit.key not in self._modules:
            self._modules[unit.key] = _ModuleParts(self.base, unit)
        module = self._modules[unit.key]
        target, activities, language = self._unit_parts(unit, taken_in)
        instance = activity_instance(self.actor.home, result.cmid)
        context = {
            "registration": registration(learner, instance, result.attempt, self.catalogue_id),
            "platform": "Moodle",
            "language": language,
            "contextActivities": {**activities, "parent": [{"objectType": "Activity", "id": target["id"]}],
                                  "other": [{"id": instance, "objectType": "Activity"}]},
        }
        prefix = f"{learner}|{instance}|{result.attempt}"

        def statement(fact: str, verb: str, activity: dict[str, Any], when: float, outcome: dict[str, Any] | None) -> dict[str, Any]:
            made = {"id": fact_id(f"{verb}|{prefix}|{fact}{_scoped(self.catalogue_id)}"), "actor": actor,
                    "verb": {"id": VERBS[verb], "display": {"en-US": verb}}, "object": activity, "context": context,
                    "timestamp": utc(when)}
            if outcome:
                made["result"] = outcome
            return made

        found = []
        previous = 0.0
        for interaction in result.interactions:
            activity = self._question(module, unit, interaction)
            if activity is None:
                continue
            # Moodle's time, to the second; tries stored within one second a millisecond apart, in
            # the order the player wrote them, so that the first try stays the first
            when = previous = max(float(interaction.stored or result.timemodified), previous + 0.001)
            outcome = self._answer(activity, interaction)
            found.append(statement(f"{activity['id']}|{interaction.index}|{outcome['response']}|{interaction.result}",
                                   "answered", activity, when, outcome))
        at, seen = self._pages(module, result)
        found += [statement(f"{page['id']}|seen", "experienced", page, result.time_started, None) for page in seen]
        if at is not None:
            when = result.location_time or result.timemodified
            found.append(statement(f"{at['id']}|{when}", "experienced", at, when, None))
        return found

    @staticmethod
    def _pages(module: _ModuleParts, result: AttemptResult) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """(the page the learner is on, the other pages the resume state marks as seen): the
        latter only with the attempt's start time, which their statements are timed at."""
        pages = module.pages
        at = int(result.location) if result.location.isdigit() and int(result.location) < len(pages) else None
        seen = (pages_seen(result.suspend_data, len(pages)) or []) if result.time_started else []
        return (None if at is None else pages[at]), [pages[i] for i in seen if i != at]

    def _question(self, module: _ModuleParts, unit: ModuleUnit, interaction: Interaction) -> dict[str, Any] | None:
        """The question an interaction answers: one of the module's, else (a question since taken
        out of the module) its IRI from the id when that is one of ours, with its recorded type."""
        known = module.questions.get(interaction.id)
        if known is not None:
            return known
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", interaction.id):
            return None
        definition: dict[str, Any] = {"type": "http://adlnet.gov/expapi/activities/cmi.interaction"}
        if interaction.type in ("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                                "sequencing", "likert", "numeric", "other"):
            definition["interactionType"] = interaction.type
        return {"objectType": "Activity", "id": question_iri(self.base, unit, interaction.id), "definition": definition}

    def _answer(self, activity: dict[str, Any], interaction: Interaction) -> dict[str, Any]:
        kind = activity["definition"].get("interactionType") or interaction.type
        outcome: dict[str, Any] = {"response": xapi_response(kind, interaction.response)}
        success = SUCCESS.get(interaction.result.strip().lower())
        if success is not None:
            outcome["success"] = success
        spent = duration(interaction.latency)
        if spent is not None:
            outcome["duration"] = iso_duration(spent)
        return outcome

    def build(self, result: AttemptResult, unit: ModuleUnit, taken_in: str | None = None) -> tuple[dict[str, Any] | None, str]:
        """(statement, "") or (None, why there is none: "incomplete" or "unidentified").

        ``taken_in`` is the catalogue id of the Moodle course the attempt was made in (a job path
        or the tool course itself): it goes into the grouping, so that the report credits a job
        path only with the attempts made in that job path."""
        verb = verb_of(result)
        if verb is None:
            return None, "incomplete"
        known = self._actor(result)
        if known is None:
            return None, "unidentified"
        actor, learner = known
        target, activities, language = self._unit_parts(unit, taken_in)
        instance = activity_instance(self.actor.home, result.cmid)
        outcome: dict[str, Any] = {}
        if verb in ("passed", "failed"):
            outcome["success"] = verb == "passed"
        if verb in ("passed", "completed"):
            outcome["completion"] = True
        elif verb == "attempted":
            outcome["completion"] = False
        moodle_score = (result.score_raw, result.score_min, result.score_max)
        if moodle_score not in self._scores:
            score, original = score_of(result)
            self._scores[moodle_score] = (score, original, scored_text(score))
        score, original, scored = self._scores[moodle_score]
        extensions: dict[str, Any] = {}
        if score is not None:
            outcome["score"] = score
        if original is not None:
            extensions[self.extension("moodle-score")] = original
        if result.total_time not in self._times:
            spent = duration(result.total_time)
            self._times[result.total_time] = None if spent is None else iso_duration(spent)
        iso = self._times[result.total_time]
        if iso is not None:
            outcome["duration"] = iso
        elif result.total_time:
            extensions[self.extension("moodle-total-time")] = result.total_time[:100]
        if extensions:
            outcome["extensions"] = extensions
        return {
            "id": statement_id(learner, instance, result.attempt, verb, scored, self.catalogue_id),
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": target,
            "result": outcome,
            "context": {
                "registration": registration(learner, instance, result.attempt, self.catalogue_id),
                "platform": "Moodle",
                "language": language,
                "contextActivities": {**activities, "other": [{"id": instance, "objectType": "Activity"}]},
            },
            "timestamp": datetime.datetime.fromtimestamp(result.timemodified, tz=datetime.UTC).isoformat(),
        }, ""
