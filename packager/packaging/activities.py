"""xAPI activity definitions for the whole catalogue, written beside the packages.

An LRS or a report can then name every activity a statement points at: courses and job paths,
modules, pages (lessons), quizzes (assessments) and questions (cmi.interaction with their
interaction type and correct responses, in the same choice identifiers the SCORM runtime uses).
Names and descriptions are tagged with the language the text is written in, and only that one.
"""

from __future__ import annotations

from typing import Any

from packager.packaging.content import quiz_view
from packager.packaging.interactions import interaction_definition, texts
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.format import JobPath, ToolCourse
from packager.model.iri import catalogue_iri, course_iri, module_iri, page_iri, question_iri, quiz_iri

TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}


def _activity(iri: str, kind: str, language: str, name: str, description: str | None = None, **extra: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": TYPES[kind], "name": texts(name, language)}
    if description:
        definition["description"] = texts(description, language)
    definition.update(extra)
    return {"objectType": "Activity", "id": iri, "definition": definition}


def unit_activities(base: str, unit: ModuleUnit) -> list[dict[str, Any]]:
    module, language = unit.module, unit.language
    found = [_activity(module_iri(base, unit), "module", language, module.title, module.summary or unit.course.summary)]
    found += [_activity(page_iri(base, unit, page.id), "lesson", language, page.title) for page in module.pages]
    quiz = quiz_view(unit)
    if quiz is not None:
        found.append(_activity(quiz_iri(base, unit), "assessment", language, module.title))
        for question in quiz["quiz"].questions:
            found.append(_activity(question_iri(base, unit, question.id), "interaction", language, question.prompt,
                                   **interaction_definition(question, language)))
    return found


def catalogue_activities(catalogue: Catalogue) -> list[dict[str, Any]]:
    assert catalogue.settings is not None
    base = catalogue.settings.base_iri
    found = [{"objectType": "Activity", "id": catalogue_iri(base), "definition": {"name": texts(catalogue.settings.site_name, catalogue.language)}}]
    courses: list[ToolCourse | JobPath] = [*catalogue.tools.values(), *catalogue.jobs.values()]
    for course in courses:
        found.append(_activity(course_iri(base, course.id), "course", catalogue.course_language(course), course.title, course.summary))
    for unit in catalogue.modules():
        found += unit_activities(base, unit)
    return found
