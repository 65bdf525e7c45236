"""Identifiers must be unique where they name something: they become Moodle idnumbers, SCORM
identifiers and xAPI IRIs, and a clash would merge two learners' records."""

from __future__ import annotations

from typing import Iterator

from packager.model.catalogue import Catalogue, SourceDoc
from packager.model.checks import walk
from packager.model.problems import Problem
from packager.utils.yamlload import Path as DataPath


def duplicates(doc: SourceDoc, items: list[tuple[DataPath, str]], kind: str) -> Iterator[Problem]:
    """One problem per repeated id, pointing back at the first use (``file:line``)."""
    seen: dict[str, DataPath] = {}
    for path, ident in items:
        if ident not in seen:
            seen[ident] = path
            continue
        first = f"{doc.file.name}:{doc.source.locate(seen[ident] + ('id',)).line}"
        yield doc.problem(path + ("id",), "id.duplicate", {"id": ident, "first": first, "kind": kind})


def check(catalogue: Catalogue) -> Iterator[Problem]:
    for tool_id, tool in catalogue.tools.items():
        modules = [(("modules", i), module.id) for i, module in enumerate(tool.modules)]
        yield from duplicates(catalogue.docs[tool_id], modules, "module")
    for unit in catalogue.modules():
        yield from duplicates(unit.doc, [(path, page.id) for path, page in walk.pages(unit)], "page")
        yield from duplicates(unit.doc, [(path, q.id) for path, q in walk.questions(unit)], "question")
