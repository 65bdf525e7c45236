"""The validate use case: every problem of a catalogue, or of the one file asked for.

An unchanged catalogue is answered from the cache (no YAML parsed, no model loaded). No printing:
the CLI (``packager/cli/validate.py``) prints the problems compiler-style and the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packager.commands.errors import Stop
from packager.commands.locate import resolve_catalogue
from packager.model.cache import Summary, cached_summary
from packager.model.location import SETTINGS_FILE
from packager.model.problems import Problem, Severity
from packager.utils.yamlload import Position


@dataclass(frozen=True)
class Checked:
    problems: list[Problem]  # those of the file asked for, when one was
    summary: Summary

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def check(path: Path) -> Checked:
    """Raises ``Stop("not_found")`` (with the problem to show) when there is nothing at ``path``."""
    if not path.exists():
        raise Stop("not_found", 2, problem=Problem(path, Position(1, 1), (), "catalogue.not_found"))
    root, single = resolve_catalogue(path)
    summary = cached_summary(root)
    if summary is None:
        from packager.model.checks import validate_catalogue

        catalogue = validate_catalogue(root)
        summary = Summary(catalogue.problems, len(catalogue.tools), len(catalogue.jobs), len(list(catalogue.modules())))
    problems = summary.problems
    if single is not None and single.name != SETTINGS_FILE:
        problems = [p for p in problems if p.file.resolve() == single]
    return Checked(problems, summary)
