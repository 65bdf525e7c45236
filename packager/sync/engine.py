"""Moodle results → xAPI statements → LRS, in batches, with a cursor that cannot lose a result.

The cursor is the key (timemodified, attempt id) up to which every result has been dealt with:
stored by the LRS, already there, or set aside with the LRS's reason. It is saved after each batch
and never moved past Moodle's clock minus a margin (``timenow`` − MARGIN): an attempt written in
the same second as the last one read, or committed late, is read again on the next run. Reading
again costs nothing: the ids of the statements sent within the margin are kept in the state, and
any re-sent fact has the same id anyway.

Batches are filled by statements, not by results. A statement the LRS refuses on its own is set
aside in a local file; the others go through and the cursor moves on.

One entry per (site, catalogue, LRS): the site as it names itself (``sync/site.py``), not the
address used to reach it, and one cursor per catalogue, so that syncing one catalogue never moves
another's cursor past its attempts. An entry of an earlier version, keyed by the address, is
taken over with the address its ids were built from.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from packager.lrs.client import LrsClient, Refused, StoreOutcome
from packager.model.catalogue import Catalogue
from packager.moodle.client import MoodleClient
from packager.sync.results import AttemptResult, Page, core_results, plugin_pages
from packager.sync.limits import DEFAULT_BATCH
from packager.sync.site import Site, identify
from packager.sync.statements import ActorPolicy, StatementFactory, legacy_statement_id
from packager.sync.values import verb_of
from packager.sync.state_file import entry_record, read_entries
from packager.utils.statefile import sweep_state_leftovers, write_state

#: Seconds behind Moodle's clock the cursor stays: longer than any Moodle transaction.
MARGIN = 300


class ActorChanged(Exception):
    """The state was written naming learners another way: changing it needs ``--reset``."""

    def __init__(self, recorded: str, wanted: str) -> None:
        super().__init__(f"{recorded} → {wanted}")
        self.recorded = recorded
        self.wanted = wanted


@dataclass
class SyncEntry:
    """What is kept for one (site, catalogue, LRS)."""

    cursor: tuple[int, int] = (0, 0)
    read_upto: tuple[int, int] = (0, 0)  # the last key read: what lies between the cursor and it is a re-read
    actor: str | None = None
    recent: dict[str, int] = field(default_factory=dict)  # id → Moodle time, for statements within the margin
    set_aside: list[dict[str, Any]] = field(default_factory=list)  # {statement, status, reason, learner, module, attempt}
    # Taken over from the first version's state (a bare time C: every result up to C sent, some
    # of second C + 1 perhaps, under ids of that version): up to this time, a result is first
    # looked for in the LRS under its old id.
    legacy_upto: int | None = None
    # The base the statement ids and the learners' homePage were built from: fixed by the first
    # run like the actor form, so that no later address or move changes an id.
    home: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"cursor": list(self.cursor), "read_upto": list(self.read_upto), "actor": self.actor, "recent": self.recent,
                "set_aside": self.set_aside, "home": self.home}
        return data if self.legacy_upto is None else {**data, "legacy_upto": self.legacy_upto}

    @classmethod
    def from_json(cls, data: Any) -> SyncEntry:
        """An entry ``state_file.read_entries`` returned: every shape an earlier version wrote."""
        record = entry_record(data)
        if isinstance(record, int):  # the first version's state: a bare time
            return cls(cursor=(record, 0), legacy_upto=record + 1) if record > 0 else cls()
        return cls(record.cursor, record.read_upto, record.actor, dict(record.recent),
                   [item.model_dump(exclude_unset=True) for item in record.set_aside], record.legacy_upto,
                   record.home or None)


class SyncState:
    """One small JSON file, written atomically, one entry per (site, catalogue, LRS)."""

    def __init__(self, path: Path) -> None:
        """Raises ``StateUnreadable`` for a damaged file: said before anything is asked of Moodle,
        and the file left as it is."""
        self.path = path
        sweep_state_leftovers(path)  # what a sync killed mid-write left (SIGKILL, power cut)
        read_entries(path)
        #: key → the earlier key its entry was taken over from, removed at the first save
        self._replaces: dict[str, str] = {}

    @staticmethod
    def key(site: str, catalogue: str | None, lrs_endpoint: str) -> str:
        return f"{site} [{catalogue or 'default'}] -> {lrs_endpoint.rstrip('/')}"

    @staticmethod
    def address_key(moodle_url: str, lrs_endpoint: str) -> str:
        """How versions before 1.2.0 keyed an entry: by the address the client was given."""
        return f"{moodle_url.rstrip('/')} -> {lrs_endpoint.rstrip('/')}"

    def open(self, site: Site, moodle_url: str, catalogue: str | None, lrs_endpoint: str) -> tuple[str, SyncEntry]:
        """This run's key and entry. A missing entry is taken over from the same site's entry of
        an earlier version or of the core path (keyed by an address; the default catalogue only:
        the only one there was), keeping the address its statement ids were built from."""
        key = self.key(site.key, catalogue, lrs_endpoint)
        data = read_entries(self.path)
        if key in data:
            return key, SyncEntry.from_json(data[key])
        earlier: list[tuple[str, str | None]] = [(self.key(site.wwwroot, catalogue, lrs_endpoint), None)]
        if catalogue is None:
            earlier += [(self.address_key(url, lrs_endpoint), url.rstrip("/")) for url in (moodle_url, site.wwwroot)]
        for old, home in earlier:
            if old != key and old in data:
                entry = SyncEntry.from_json(data[old])
                entry.home = entry.home or home
                self._replaces[key] = old
                return key, entry
        return key, SyncEntry()

    def put(self, key: str, entry: SyncEntry) -> None:
        data = read_entries(self.path)
        data[key] = entry.to_json()
        data.pop(self._replaces.pop(key, ""), None)
        write_state(self.path, data)

    def reset(self, key: str, entry: SyncEntry) -> SyncEntry:
        """Forget the cursor, the actor form and the recent ids; keep what was set aside and the
        statement home (a new home would name every learner twice in the LRS)."""
        self.put(key, SyncEntry(set_aside=entry.set_aside, home=entry.home))
        return entry


@dataclass
class SetAside:
    learner: str
    module: str
    attempt: int
    status: int
    reason: str


@dataclass
class SyncOutcome:
    results: int = 0
    sent: int = 0  # stored by the LRS in this run
    already: int = 0  # the LRS (or this state) held them already
    skipped: int = 0  # results with nothing to say yet (incomplete)
    unidentified: int = 0  # results whose learner Moodle did not name in the chosen form
    set_aside: list[SetAside] = field(default_factory=list)
    cursor: tuple[int, int] = (0, 0)
    plugin: bool = True
    taken_over: bool = False  # the state was the first version's: its cursor is kept
    no_learner_visible: bool = False  # core path: activities found, yet no enrolled learner visible to the token
    statements: list[dict[str, Any]] = field(default_factory=list)  # filled in dry runs


def _core_pages(client: MoodleClient, catalogue: Catalogue, since: tuple[int, int], outcome: SyncOutcome) -> Iterator[Page]:
    """The core path in the plugin's page shape: no attempt id, so the key is (time, 0) and the
    second of the cursor is read again; Moodle gives no clock here, ours stands in for it."""
    now = int(time.time())
    namespace = catalogue.namespace
    courses = [namespace.course(course_id) for course_id in [*catalogue.tools, *catalogue.jobs]]
    seen: dict[str, int] = {}
    results = list(core_results(client, since[0], courses, namespace, seen))
    outcome.no_learner_visible = seen.get("activities", 0) > 0 and seen.get("learners", 0) == 0
    yield Page(results, (results[-1].timemodified, 0) if results else None, False, now)


def _learner_label(result: AttemptResult) -> str:
    return result.username or result.useridnumber or result.email or f"user {result.userid}"


class _Run:
    def __init__(self, catalogue: Catalogue, lrs: LrsClient | None, actor: ActorPolicy, entry: SyncEntry,
                 save: Callable[[SyncEntry], None], batch_size: int, margin: int, outcome: SyncOutcome,
                 reader: LrsClient) -> None:
        self.units = {unit.key: unit for unit in catalogue.modules()}
        self.namespace = catalogue.namespace
        self.actor = actor
        self.factory = StatementFactory(catalogue, actor, self.namespace.catalogue)
        self.lookup, self.held = reader.get, reader.held  # read only: dry runs use them too
        self.lrs, self.entry, self.save, self.batch_size, self.margin = lrs, entry, save, batch_size, margin
        self.outcome = outcome
        self.batch: list[tuple[dict[str, Any], AttemptResult]] = []
        self.ids: set[str] = set()
        self.cap: tuple[int, int] | None = None
        self.read_before = entry.read_upto

    def capped(self, key: tuple[int, int]) -> tuple[int, int]:
        return min(key, self.cap) if self.cap is not None else key

    def take(self, result: AttemptResult) -> None:
        unit = self.units.get(result.module)
        taken_in = self.namespace.local_id(result.course_idnumber)
        statement, parts, why = self.factory.statements(result, unit, taken_in) if unit is not None else (None, [], "not ours")
        every = [statement, *parts] if statement is not None else parts
        if result.key <= self.read_before and all(s["id"] in self.entry.recent for s in every):
            return  # read again within the margin, unchanged: not a new result
        self.outcome.results += 1
        if not every:
            if why == "unidentified":
                self.outcome.unidentified += 1
            else:
                self.outcome.skipped += 1
            return
        for made in every:
            if made["id"] in self.entry.recent or made["id"] in self.ids or (
                    made is statement and self._sent_by_first_version(result)):
                self.outcome.already += 1
                continue
            self.ids.add(made["id"])
            self.batch.append((made, result))

    def _sent_by_first_version(self, result: AttemptResult) -> bool:
        upto = self.entry.legacy_upto
        if upto is None or result.timemodified > upto:
            return False
        verb = verb_of(result)
        if verb in (None, "attempted"):  # that version sent no "attempted"
            return False
        return self.lookup(legacy_statement_id(result, result.module, verb, self.actor)) is not None

    def flush(self, upto: tuple[int, int] | None, read: tuple[int, int] | None) -> None:
        """Send the batch; then every result up to ``upto`` is dealt with, and up to ``read`` read."""
        batch, self.batch = self.batch, []
        if self.lrs is None:  # dry run: what the real run would send (the LRS asked, read only), nothing sent
            held = self.held([s for s, _ in batch]) if batch else {}
            fresh = [s for s, _ in batch if s["id"].lower() not in held]
            self.outcome.statements += fresh
            self.outcome.sent += len(fresh)
            self.outcome.already += len(batch) - len(fresh)
            return
        stored = self.lrs.store([s for s, _ in batch]) if batch else StoreOutcome()
        self.outcome.sent += len(stored.stored)
        self.outcome.already += len(stored.already)
        by_id = {s["id"]: r for s, r in batch}
        for refused in stored.refused:
            self._set_aside(refused, by_id[refused.statement["id"]])
        stored_ids = {*stored.stored, *stored.already}
        for statement, result in batch:
            if statement["id"] in stored_ids:
                self.entry.recent[statement["id"]] = result.timemodified
        if upto is not None:
            self.entry.cursor = max(self.entry.cursor, self.capped(upto))
        if read is not None:
            self.entry.read_upto = max(self.entry.read_upto, read)
        floor = self.entry.cursor[0]
        if self.entry.legacy_upto is not None and floor > self.entry.legacy_upto:
            self.entry.legacy_upto = None
        self.entry.recent = {k: v for k, v in self.entry.recent.items() if v >= floor}
        self.outcome.cursor = self.entry.cursor
        self.save(self.entry)

    def _set_aside(self, refused: Refused, result: AttemptResult) -> None:
        item = SetAside(_learner_label(result), result.module, result.attempt, refused.status, refused.reason)
        self.outcome.set_aside.append(item)
        self.entry.set_aside = [a for a in self.entry.set_aside if a["statement"].get("id") != refused.statement["id"]]
        self.entry.set_aside.append({"statement": refused.statement, "status": refused.status, "reason": refused.reason,
                                     "learner": item.learner, "module": item.module, "attempt": item.attempt,
                                     "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")})


def open_entry(catalogue: Catalogue, moodle: MoodleClient, lrs: LrsClient, state: SyncState) -> tuple[Site, str, SyncEntry]:
    """The site (as it names itself), this run's state key and the entry under it."""
    site = identify(moodle)
    key, entry = state.open(site, moodle.url, catalogue.namespace.catalogue, lrs.endpoint)
    return site, key, entry


def sync(catalogue: Catalogue, moodle: MoodleClient, lrs: LrsClient, state: SyncState, actor: ActorPolicy, *,
         batch_size: int = DEFAULT_BATCH, dry_run: bool = False, margin: int = MARGIN, fresh: bool = False,
         on_batch: Callable[[int, int], None] | None = None) -> SyncOutcome:
    """``fresh``: start from an empty state without touching the saved one (a dry run of ``--reset``)."""
    site, key, entry = open_entry(catalogue, moodle, lrs, state)
    if fresh:
        entry = SyncEntry(home=entry.home)
    if entry.actor is not None and entry.actor != actor.form:
        raise ActorChanged(entry.actor, actor.form)
    entry.actor = actor.form
    entry.home = entry.home or site.home
    actor = replace(actor, home=entry.home)
    plugin = site.plugin
    outcome = SyncOutcome(cursor=entry.cursor, plugin=plugin, taken_over=entry.legacy_upto is not None)
    run = _Run(catalogue, None if dry_run else lrs, actor, entry, (lambda e: None) if dry_run else (lambda e: state.put(key, e)),
               batch_size, margin, outcome, lrs)
    namespace = run.namespace
    pages = (plugin_pages(moodle, entry.cursor, actor.form, namespace, scoped=site.scoped) if plugin
             else _core_pages(moodle, catalogue, entry.cursor, outcome))
    last: tuple[int, int] | None = None
    complete = False
    for page in pages:
        if run.cap is None:  # the first page's clock: the most cautious of the run
            run.cap = (page.timenow - margin, 0)
        for result in page.results:
            run.take(result)
            if len(run.batch) >= batch_size:
                run.flush(result.key if plugin else None, result.key)
        last = page.last or last
        if on_batch is not None:
            on_batch(outcome.results, outcome.results + (1 if page.hasmore else 0))
        complete = not page.hasmore
    # every result up to Moodle's clock is read: the cursor may go up to the cap
    run.flush(run.cap if complete and run.cap is not None else last, last)
    return outcome


def retry_set_aside(catalogue: Catalogue, moodle: MoodleClient, lrs: LrsClient, state: SyncState, *,
                    batch_size: int = DEFAULT_BATCH) -> tuple[int, list[dict[str, Any]]]:
    """Send what was set aside again: (stored or already there, still refused)."""
    _site, key, entry = open_entry(catalogue, moodle, lrs, state)
    done, still = 0, []
    for start in range(0, len(entry.set_aside), batch_size):
        items = entry.set_aside[start:start + batch_size]
        stored = lrs.store([a["statement"] for a in items])
        done += len(stored.stored) + len(stored.already)
        reasons = {r.statement["id"]: r for r in stored.refused}
        for item in items:
            refused = reasons.get(item["statement"]["id"])
            if refused is not None:
                still.append({**item, "status": refused.status, "reason": refused.reason})
    entry.set_aside = still
    state.put(key, entry)
    return done, still
