"""Stable identifiers (IRIs) for everything a learner's record can point at.

They are built from the catalogue's base IRI and the YAML ids only, never from titles or
positions, so that renaming a page or reordering modules keeps every learner's history. SCORM
2004 interaction ids, xAPI activity ids and the LRS report all use these.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from packager.model.catalogue import ModuleUnit


@lru_cache(maxsize=65536)
def _segment(part: str) -> str:
    """An id quoted as one path segment (the same few ids come back for every page and question)."""
    return quote(part, safe="")


def _join(base: str, *parts: str) -> str:
    base = base if base.endswith("/") else base + "/"
    return base + "/".join(_segment(part) for part in parts)


def course_iri(base: str, course_id: str) -> str:
    return _join(base, course_id)


def module_iri(base: str, unit: ModuleUnit) -> str:
    return _join(base, unit.course.id, unit.module.id)


def cmi5_course_iri(base: str, unit: ModuleUnit) -> str:
    """The ``<course id>`` of a module's cmi5 package: each package is a course of its own for the
    LMS, so two packages must never share it (cmi5 §13.1.1: globally unique)."""
    return _join(base, unit.course.id, unit.module.id, "cmi5-course")


def page_iri(base: str, unit: ModuleUnit, page_id: str) -> str:
    return _join(base, unit.course.id, unit.module.id, "pages", page_id)


def quiz_iri(base: str, unit: ModuleUnit) -> str:
    return _join(base, unit.course.id, unit.module.id, "quiz")


def question_iri(base: str, unit: ModuleUnit, question_id: str) -> str:
    return _join(base, unit.course.id, unit.module.id, "questions", question_id)


def competence_iri(base: str, code: str) -> str:
    """A CRCN / Pix competence, as an xAPI context category."""
    return _join(base, "competences", "crcn", code)


def catalogue_iri(base: str) -> str:
    """The whole catalogue: the widest grouping of every statement."""
    return base if base.endswith("/") else base + "/"
