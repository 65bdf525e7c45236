"""Problems found in a catalogue, and how they read in a terminal or an editor.

A problem is data (file, position, field path, code, parameters); its text is looked up in
``messages`` only when shown, so that the same run can be reported in French or English and
the preview server can show it in a page.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packager.model import messages
from packager.utils.yamlload import Path as DataPath
from packager.utils.yamlload import Position


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: Path
    position: Position
    path: DataPath
    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    severity: Severity = Severity.ERROR
    #: the file whose error this problem follows from: it is listed after that file's problems
    cause: Path | None = field(default=None, compare=False)

    def text(self, lang: str = "fr") -> tuple[str, str]:
        """(what is wrong, how to fix it) in ``lang``."""
        return messages.render(self.code, self.params, lang)


def field_path(path: DataPath) -> str:
    """``modules[0].pages[1].title``: the notation used in every message."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def display_file(file: Path, base: Path | None = None) -> str:
    """Relative to the working directory when possible, so editors can open it as is."""
    base = base or Path.cwd()
    try:
        return os.path.relpath(file, base) if file.is_absolute() else str(file)
    except ValueError:  # pragma: no cover - different drives on Windows
        return str(file)


def format_problem(problem: Problem, lang: str = "fr", base: Path | None = None) -> str:
    """One problem as ``file:line:col: severity: path: what → fix`` (the compiler convention)."""
    what, fix = problem.text(lang)
    label = messages.severity_label(problem.severity.value, lang)
    where = field_path(problem.path)
    head = f"{display_file(problem.file, base)}:{problem.position.line}:{problem.position.column}: {label}:"
    body = f" {where} : {what}" if where and lang == "fr" else f" {where}: {what}" if where else f" {what}"
    return f"{head}{body}\n    → {fix}" if fix else f"{head}{body}"


def sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    """By file and position; a consequence right after its cause's problems (one cause, then what follows)."""
    if problem.cause is not None:
        return (str(problem.cause), 1 << 31, problem.position.line, str(problem.file), problem.code)
    return (str(problem.file), problem.position.line, problem.position.column, "", problem.code)
