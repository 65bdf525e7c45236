"""How a use case says it stopped: a reason the CLI puts into words, never a printed line.

A command (``packager.commands``) decides; the CLI (``packager.cli``) prints. So a command that
cannot go on raises one of these with a reason key and its parameters, and the CLI looks the key
up in its own table of messages, in the language asked for.
"""

from __future__ import annotations

from typing import Any

from packager.model.problems import Problem


class Stop(Exception):
    """The use case stopped before (or while) doing its job; nothing half-done is left."""

    def __init__(self, reason: str, exit_code: int = 1, /, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.exit_code = exit_code
        self.params = params


class InvalidCatalogue(Exception):
    """The catalogue has errors: the command refuses to run on it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} errors")
        self.problems = problems
