"""A job path lists tool modules by ``course/module``; each must exist, once."""

from __future__ import annotations

from typing import Iterator

from packager.model.catalogue import Catalogue
from packager.model.problems import Problem, Severity
from packager.model.schema_errors import suggest


def check(catalogue: Catalogue) -> Iterator[Problem]:
    known = [f"{tool_id}/{module.id}" for tool_id, tool in catalogue.tools.items() for module in tool.modules]
    for job_id, job in catalogue.jobs.items():
        doc = catalogue.docs[job_id]
        seen: set[str] = set()
        for index, entry in enumerate(job.modules):
            path = ("modules", index, "ref")
            if entry.ref in seen:
                yield doc.problem(path, "ref.duplicate", {"ref": entry.ref})
            elif entry.ref not in known:
                yield doc.problem(path, "ref.unknown", {"ref": entry.ref, "suggestion": suggest(entry.ref, known)})
            seen.add(entry.ref)
        if not any(entry.required for entry in job.modules):
            yield doc.problem(("modules",), "job.no_required", severity=Severity.WARNING, prefer_key=True)
