"""One progress bar on stderr (standard output stays for what a command prints as its result),
opened only once the work's size is known, so that nothing shows before a refusal."""

from __future__ import annotations

import sys
from typing import Any

import click


class Progress:
    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def start(self, total: int) -> None:
        self.close()
        self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
        self.bar.__enter__()

    def advance(self, steps: int = 1) -> None:
        self.bar.update(steps)

    def at(self, done: int, total: int) -> None:
        """Where a run whose size grows as it goes stands (sync learns it page by page)."""
        if self.bar is None:
            self.start(total)
        self.bar.length = max(total, 1)
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
