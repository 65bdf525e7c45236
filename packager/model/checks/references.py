"""A job path lists tool modules by ``course/module``; each must exist, once."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator

from packager.model.catalogue import Catalogue
from packager.model.problems import Problem, Severity
from packager.model.schema_errors import suggest
from packager.utils.yamlload import Position


def check(catalogue: Catalogue) -> Iterator[Problem]:
    #: file with errors → job path files that name its modules: said once, after its own errors
    waiting: dict[Path, list[Path]] = {}
    known = [f"{tool_id}/{module.id}" for tool_id, tool in catalogue.tools.items() for module in tool.modules]
    for job_id, job in catalogue.jobs.items():
        doc = catalogue.docs[job_id]
        seen: set[str] = set()
        for index, entry in enumerate(job.modules):
            path = ("modules", index, "ref")
            if entry.ref in seen:
                yield doc.problem(path, "ref.duplicate", {"ref": entry.ref})
            elif entry.ref not in known and entry.ref.split("/")[0] in catalogue.broken:
                waiting.setdefault(catalogue.broken[entry.ref.split("/")[0]], []).append(doc.file)
            elif entry.ref not in known:
                yield doc.problem(path, "ref.unknown", {"ref": entry.ref, "suggestion": suggest(entry.ref, known)})
            seen.add(entry.ref)
        if not any(entry.required for entry in job.modules):
            yield doc.problem(("modules",), "job.no_required", severity=Severity.WARNING, prefer_key=True)
    for cause, jobs in waiting.items():
        names = sorted({job.relative_to(catalogue.root).as_posix() for job in jobs})
        params = {"count": len(jobs), "jobs": ", ".join(names)}
        yield Problem(cause, Position(1, 1), (), "ref.in_broken_file", params, Severity.WARNING, cause=cause)
