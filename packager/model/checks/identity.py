"""Identifiers must be unique where they name something: they become Moodle idnumbers, SCORM
identifiers and xAPI IRIs, and a clash would merge two learners' records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from packager.model.catalogue import Catalogue, SourceDoc
from packager.model.checks import walk
from packager.model.problems import Problem
from packager.utils.yamlload import Path as DataPath


def duplicates(doc: SourceDoc, items: Sequence[tuple[DataPath, str]], kind: str) -> Iterator[Problem]:
    """One problem per repeated id, pointing back at the first use (``file:line``)."""
    seen: dict[str, DataPath] = {}
    for path, ident in items:
        if ident not in seen:
            seen[ident] = path
            continue
        first = f"{doc.file.name}:{doc.source.locate(seen[ident] + ('id',)).line}"
        yield doc.problem(path + ("id",), "id.duplicate", {"id": ident, "first": first, "kind": kind})


#: Names Windows keeps for devices, with or without an extension: a course or module with such
#: an id gives a file (``con.yml``, ``con.module.scorm12.zip``) a mediator's PC cannot open.
RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


def _reserved(doc: SourceDoc, items: Sequence[tuple[DataPath, str]]) -> Iterator[Problem]:
    for path, ident in items:
        if ident in RESERVED:
            yield doc.problem(path + ("id",), "id.reserved", {"id": ident})


def check(catalogue: Catalogue) -> Iterator[Problem]:
    for course_id, doc in catalogue.docs.items():
        yield from _reserved(doc, [((), course_id)])
    for tool_id, tool in catalogue.tools.items():
        modules = [(("modules", i), module.id) for i, module in enumerate(tool.modules)]
        yield from duplicates(catalogue.docs[tool_id], modules, "module")
        yield from _reserved(catalogue.docs[tool_id], modules)
    for unit in catalogue.modules():
        yield from duplicates(unit.doc, [(path, page.id) for path, page in walk.pages(unit)], "page")
        yield from duplicates(unit.doc, [(path, q.id) for path, q in walk.questions(unit)], "question")
