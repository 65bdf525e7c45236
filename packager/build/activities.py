"""xAPI activity definitions for the whole catalogue, written beside the packages.

An LRS or a report can then name every activity a statement points at: courses and job paths,
modules, pages (lessons), quizzes (assessments) and questions (cmi.interaction with their
interaction type and correct responses, in the same choice identifiers the SCORM runtime uses).
Names and descriptions carry ``fr-FR`` and ``en-US``: the catalogue is written in one language,
so both hold the author's text until a translation exists.
"""

from __future__ import annotations

from typing import Any

from packager.build.content import b36, quiz_view
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.format import FillIn, Matching, MultipleChoice, Ordering, SingleChoice, TrueFalse
from packager.model.iri import catalogue_iri, course_iri, module_iri, page_iri, question_iri, quiz_iri

ACTIVITIES_FILE = "xapi-activities.json"
TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
INTERACTION_TYPES = {"single": "choice", "multiple": "choice", "true_false": "true-false", "fill_in": "fill-in",
                     "ordering": "sequencing", "matching": "matching"}


def _texts(text: str | None) -> dict[str, str]:
    return {"fr-FR": text, "en-US": text} if text else {}


def _activity(iri: str, kind: str, name: str, description: str | None = None, **extra: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": TYPES[kind], "name": _texts(name)}
    if description:
        definition["description"] = _texts(description)
    definition.update(extra)
    return {"objectType": "Activity", "id": iri, "definition": definition}


def _components(ids_and_texts: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"id": ident, "description": _texts(text)} for ident, text in ids_and_texts]


def interaction_definition(question: Any) -> dict[str, Any]:
    """interactionType, correctResponsesPattern and components, as xAPI 1.0.3 writes them."""
    kind = INTERACTION_TYPES[question.type]
    extra: dict[str, Any] = {"interactionType": kind}
    if isinstance(question, (SingleChoice, MultipleChoice)):
        extra["choices"] = _components([(b36(i), c.text) for i, c in enumerate(question.choices)])
        extra["correctResponsesPattern"] = ["[,]".join(b36(i) for i, c in enumerate(question.choices) if c.correct)]
    elif isinstance(question, TrueFalse):
        extra["correctResponsesPattern"] = ["true" if question.answer else "false"]
    elif isinstance(question, FillIn):
        prefix = "{case_matters=false}" if question.tolerant else ""
        extra["correctResponsesPattern"] = [prefix + answer for answer in question.answers]
    elif isinstance(question, Ordering):
        extra["choices"] = _components([(b36(i), item) for i, item in enumerate(question.items)])
        extra["correctResponsesPattern"] = ["[,]".join(b36(i) for i in range(len(question.items)))]
    elif isinstance(question, Matching):
        extra["source"] = _components([(b36(i), pair.left) for i, pair in enumerate(question.pairs)])
        extra["target"] = _components([(b36(i), pair.right) for i, pair in enumerate(question.pairs)])
        extra["correctResponsesPattern"] = ["[,]".join(f"{b36(i)}[.]{b36(i)}" for i in range(len(question.pairs)))]
    return extra


def unit_activities(base: str, unit: ModuleUnit) -> list[dict[str, Any]]:
    module = unit.module
    found = [_activity(module_iri(base, unit), "module", module.title, module.summary or unit.course.summary)]
    found += [_activity(page_iri(base, unit, page.id), "lesson", page.title) for page in module.pages]
    quiz = quiz_view(unit)
    if quiz is not None:
        found.append(_activity(quiz_iri(base, unit), "assessment", module.title))
        for question in quiz["quiz"].questions:
            found.append(_activity(question_iri(base, unit, question.id), "interaction", question.prompt,
                                   **interaction_definition(question)))
    return found


def catalogue_activities(catalogue: Catalogue) -> list[dict[str, Any]]:
    assert catalogue.settings is not None
    base = catalogue.settings.base_iri
    found = [{"objectType": "Activity", "id": catalogue_iri(base), "definition": {"name": _texts(catalogue.settings.site_name)}}]
    for course in [*catalogue.tools.values(), *catalogue.jobs.values()]:
        found.append(_activity(course_iri(base, course.id), "course", course.title, course.summary))
    for unit in catalogue.modules():
        found += unit_activities(base, unit)
    return found
