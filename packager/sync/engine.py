"""Moodle results → xAPI statements → LRS, in batches, with a cursor that never runs ahead.

The cursor is the last Moodle time whose results the LRS has all acknowledged. It is saved only
after a batch is accepted, so an LRS outage loses nothing: the next run starts from it, and
whatever it sends again carries the same statement ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from packager.lrs.client import LrsClient
from packager.model.catalogue import Catalogue
from packager.moodle.client import MoodleClient
from packager.moodle.functions import GET_RESULTS
from packager.sync.results import AttemptResult, core_results, course_idnumbers, plugin_results
from packager.sync.statements import ActorPolicy, StatementFactory
from packager.utils.statefile import read_state, write_state

DEFAULT_BATCH = 100


class CursorStore:
    """Cursors by (Moodle, LRS) pair, in one small JSON file written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, int]:
        return {k: int(v) for k, v in read_state(self.path).items() if isinstance(v, int)}

    @staticmethod
    def key(moodle_url: str, lrs_endpoint: str) -> str:
        return f"{moodle_url.rstrip('/')} -> {lrs_endpoint.rstrip('/')}"

    def get(self, key: str) -> int:
        return self._read().get(key, 0)

    def set(self, key: str, value: int) -> None:
        data = self._read()
        data[key] = value
        write_state(self.path, data)


@dataclass
class SyncOutcome:
    results: int = 0
    sent: int = 0
    skipped: int = 0  # results with nothing to say yet (incomplete), or not from this catalogue
    cursor: int = 0
    plugin: bool = True
    statements: list[dict[str, Any]] = field(default_factory=list)  # filled in dry runs


def read_results(client: MoodleClient, catalogue: Catalogue, since: int) -> tuple[list[AttemptResult], bool]:
    """(results oldest first, whether the plugin gave them)."""
    site = client.call("core_webservice_get_site_info")
    if any(f["name"] == GET_RESULTS for f in site.get("functions", [])):
        return list(plugin_results(client, since)), True
    courses = course_idnumbers([*catalogue.tools, *catalogue.jobs])
    return list(core_results(client, since, courses)), False


def to_statements(results: Iterable[AttemptResult], catalogue: Catalogue, actor: ActorPolicy) -> list[tuple[int, dict | None]]:
    """(Moodle time, statement or None) for each result, in order."""
    units = {unit.key: unit for unit in catalogue.modules()}
    factory = StatementFactory(catalogue, actor)
    out = []
    for result in results:
        unit = units.get(result.module)
        out.append((result.timemodified, factory.build(result, unit) if unit else None))
    return out


def sync(catalogue: Catalogue, moodle: MoodleClient, lrs: LrsClient, cursors: CursorStore, actor: ActorPolicy, *,
         batch_size: int = DEFAULT_BATCH, dry_run: bool = False,
         on_batch: Callable[[int, int], None] | None = None) -> SyncOutcome:
    key = CursorStore.key(moodle.url, lrs.endpoint)
    since = cursors.get(key)
    results, plugin = read_results(moodle, catalogue, since)
    items = to_statements(results, catalogue, actor)
    outcome = SyncOutcome(results=len(results), cursor=since, plugin=plugin)
    outcome.skipped = sum(1 for _, statement in items if statement is None)
    if dry_run:
        outcome.statements = [statement for _, statement in items if statement is not None]
        return outcome
    start = 0
    seen: set[str] = set()
    while start < len(items):
        end = min(start + batch_size, len(items))
        # the same module taken in two courses (its tool course and a job path) is one activity:
        # the same learner, attempt and verb give the same statement id, sent once
        batch = []
        for _, statement in items[start:end]:
            if statement is not None and statement["id"] not in seen:
                seen.add(statement["id"])
                batch.append(statement)
        lrs.send(batch)
        outcome.sent += len(batch)
        # everything up to the next unsent result's time, minus one second, is acknowledged
        cursor = items[end][0] - 1 if end < len(items) else items[-1][0]
        if cursor > outcome.cursor:
            outcome.cursor = cursor
            cursors.set(key, cursor)
        if on_batch is not None:
            on_batch(end, len(items))
        start = end
    return outcome
