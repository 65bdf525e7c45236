"""Moodle's own limits, checked before anything is published: the ID numbers, names and section
names CoursePack derives from the YAML must fit Moodle's columns, and a cohort restriction must
name a job path that exists."""

from __future__ import annotations

from collections.abc import Iterator

from packager.model.catalogue import Catalogue, SourceDoc
from packager.model.problems import Problem
from packager.moodle.idnumbers import FULLNAME_MAX, IDNUMBER_MAX, NAME_MAX, SHORTNAME_MAX
from packager.utils.yamlload import Path as DataPath


def _too_long(doc: SourceDoc, path: DataPath, what: str, value: str, limit: int) -> Iterator[Problem]:
    if len(value) > limit:
        yield doc.problem(path, "moodle.too_long", {"what": what, "length": len(value), "max": limit, "value": value})


def check(catalogue: Catalogue) -> Iterator[Problem]:
    """With the catalogue's namespace: a named catalogue's ID numbers and short names are longer."""
    namespace = catalogue.namespace
    for course in (*catalogue.tools.values(), *catalogue.jobs.values()):
        course_doc = catalogue.docs[course.id]
        yield from _too_long(course_doc, ("id",), "idnumber", namespace.course(course.id), IDNUMBER_MAX)
        yield from _too_long(course_doc, ("id",), "shortname", namespace.shortname(course.id), SHORTNAME_MAX)
        yield from _too_long(course_doc, ("title",), "fullname", course.title, FULLNAME_MAX)
    for unit in catalogue.modules():
        where = unit.path + ("id",) if unit.path else ("id",)
        yield from _too_long(unit.doc, where, "activity", namespace.activity(unit.key), IDNUMBER_MAX)
        yield from _too_long(unit.doc, unit.path + ("title",), "section", unit.module.title, NAME_MAX)
    settings, doc = catalogue.settings, catalogue.settings_doc
    if settings is None or doc is None:
        return
    for job_id in settings.moodle.enrolment.cohorts:
        if job_id not in catalogue.jobs:
            yield doc.problem(("moodle", "enrolment", "cohorts", job_id), "moodle.cohort_unknown_job",
                              {"id": job_id, "jobs": ", ".join(sorted(catalogue.jobs)) or "—"}, prefer_key=True)
