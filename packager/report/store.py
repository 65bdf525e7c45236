"""The report's local store: the LRS's statements that concern the catalogue, one row each, in
SQLite. Filled incrementally (``since`` the latest ``stored`` time of the last complete pull, minus a margin), so that a
re-run asks the LRS only for what is new, and the report is computed from here (docs/report.md).

Beside the rows, the store keeps what the report reads, folded as the rows come in: per (object,
grouping, learner) the verbs seen and the best score, per attempt its longest duration. A new
statement only updates those, so a re-run's compute reads tens of thousands of folded rows, never
the half million statements again.

A statement of an unexpected shape (``result: null``, ``object: "x"``, ``duration: 5``) is read
for what it validly says and nothing more; the LRS's page itself, if it is not xAPI, is an error
raised by the LRS client.
"""

from __future__ import annotations

import datetime
import re
import sqlite3
from pathlib import Path
from typing import Any, Iterable

from packager.lrs.client import LrsClient, LrsError

#: How far back each pull reaches behind the latest ``stored`` time held (LRS commit lag).
MARGIN = datetime.timedelta(minutes=5)
PAGE = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS statements (
    id TEXT PRIMARY KEY, learner TEXT NOT NULL, object TEXT NOT NULL, grouping TEXT NOT NULL,
    registration TEXT NOT NULL, verb TEXT NOT NULL, scaled REAL, seconds REAL, stored TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS learning (
    object TEXT NOT NULL, grouping TEXT NOT NULL, learner TEXT NOT NULL, verbs INTEGER NOT NULL, best REAL,
    statements INTEGER NOT NULL, PRIMARY KEY (object, grouping, learner)
);
CREATE TABLE IF NOT EXISTS attempts (
    object TEXT NOT NULL, grouping TEXT NOT NULL, learner TEXT NOT NULL, attempt TEXT NOT NULL, seconds REAL NOT NULL,
    PRIMARY KEY (object, grouping, learner, attempt)
);
CREATE TEMP TABLE IF NOT EXISTS page (
    id TEXT PRIMARY KEY, learner TEXT NOT NULL, object TEXT NOT NULL, grouping TEXT NOT NULL,
    registration TEXT NOT NULL, verb TEXT NOT NULL, scaled REAL, seconds REAL, stored TEXT NOT NULL
);
"""
#: Bits of ``learning.verbs``: the verbs the report's definitions read.
PASSED, FAILED, COMPLETED = 1, 2, 4
#: Fold the rows of ``{source}`` not yet in the store into ``learning`` and ``attempts``.
_FOLD = (
    """INSERT INTO learning (object, grouping, learner, verbs, best, statements)
       SELECT object, grouping, learner, MAX(verb = 'passed') | (MAX(verb = 'failed') << 1) | (MAX(verb = 'completed') << 2),
              MAX(scaled), COUNT(*)
       FROM {source} WHERE {new} GROUP BY object, grouping, learner
       ON CONFLICT (object, grouping, learner) DO UPDATE SET verbs = verbs | excluded.verbs,
          best = CASE WHEN best IS NULL THEN excluded.best WHEN excluded.best IS NULL THEN best
                      ELSE MAX(best, excluded.best) END,
          statements = statements + excluded.statements""",
    """INSERT INTO attempts (object, grouping, learner, attempt, seconds)
       SELECT object, grouping, learner, CASE WHEN registration = '' THEN id ELSE registration END, MAX(seconds)
       FROM {source} WHERE seconds IS NOT NULL AND {new} GROUP BY 1, 2, 3, 4
       ON CONFLICT (object, grouping, learner, attempt) DO UPDATE SET seconds = MAX(seconds, excluded.seconds)""",
)
#: Folded facts: (object IRI, grouping IRIs joined by spaces, learner, verb bits, best scaled score
#: or None, statements).
Learning = tuple[str, str, str, int, "float | None", int]
#: Attempt times: (object IRI, grouping, attempts, total seconds of their longest durations).
Times = tuple[str, str, int, float]



def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def learner_of(actor: Any) -> str | None:
    actor = _dict(actor)
    account = _dict(actor.get("account"))
    if account.get("name") and account.get("homePage"):
        return f"{account['homePage']}|{account['name']}"
    for key in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(actor.get(key), str) and actor[key]:
            return str(actor[key])
    return None


def seconds_of(duration: Any) -> float | None:
    """ISO 8601 duration (``PT1H2M3.5S``, ``P1DT2H``) in seconds; None for anything else."""
    if not isinstance(duration, str):
        return None
    match = re.fullmatch(r"P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?", duration)
    if not match or duration in ("P", "PT"):
        return None
    days, hours, minutes, secs = (float(x or 0) for x in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + secs


def scaled_of(score: Any) -> float | None:
    score = _dict(score)
    scaled = _number(score.get("scaled"))
    if scaled is not None:
        return max(-1.0, min(1.0, scaled))
    raw, low, high = _number(score.get("raw")), _number(score.get("min")), _number(score.get("max"))
    if raw is not None and low is not None and high is not None and high > low:
        return max(-1.0, min(1.0, (raw - low) / (high - low)))
    return None


def row_of(statement: Any, base: str) -> tuple | None:
    """The store's row for a statement that concerns the catalogue (object or grouping under
    ``base``), or None."""
    statement = _dict(statement)
    ident = statement.get("id")
    target = _dict(statement.get("object")).get("id")
    context = _dict(statement.get("context"))
    grouping = [a.get("id") for a in (_dict(context.get("contextActivities")).get("grouping") or [])
                if isinstance(a, dict) and isinstance(a.get("id"), str)] if isinstance(
        _dict(context.get("contextActivities")).get("grouping"), list) else []
    if not isinstance(ident, str) or not isinstance(target, str):
        return None
    if not (target.startswith(base) or any(g.startswith(base) for g in grouping)):
        return None
    learner = learner_of(statement.get("actor"))
    verb = _dict(statement.get("verb")).get("id")
    if learner is None or not isinstance(verb, str):
        return None
    result = _dict(statement.get("result"))
    registration = context.get("registration") if isinstance(context.get("registration"), str) else ""
    stored = statement.get("stored") if isinstance(statement.get("stored"), str) else ""
    return (ident, learner, target, " ".join(grouping), registration.lower(), verb.rsplit("/", 1)[-1],
            scaled_of(result.get("score")), seconds_of(result.get("duration")), stored)


def _parse_time(text: str) -> datetime.datetime | None:
    try:
        stamp = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=datetime.timezone.utc)


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(_SCHEMA)
        if self._meta("folded") != "1":  # written before the folded tables, or a first pull cut short
            self._refold()

    def _refold(self) -> None:
        """Fold every statement held, afresh: one pass over the table (a first pull, an old store)."""
        self.db.execute("DELETE FROM learning")
        self.db.execute("DELETE FROM attempts")
        for fold in _FOLD:
            self.db.execute(fold.format(source="statements", new="1"))
        self._set_meta("folded", "1")
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def _meta(self, key: str) -> str | None:
        found = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def bind(self, endpoint: str, base: str) -> None:
        """A store holds one LRS's statements for one base IRI: another pair starts it afresh."""
        if self._meta("endpoint") not in (None, endpoint) or self._meta("base") not in (None, base):
            for table in ("statements", "learning", "attempts", "meta"):
                self.db.execute(f"DELETE FROM {table}")
            self._set_meta("folded", "1")
        self._set_meta("endpoint", endpoint)
        self._set_meta("base", base)
        self.db.commit()

    def since(self) -> str | None:
        latest = self._meta("latest")
        stamp = _parse_time(latest) if latest else None
        return (stamp - MARGIN).isoformat().replace("+00:00", "Z") if stamp else None

    def filters_by_activity(self, lrs: LrsClient) -> bool | None:
        """Whether this LRS answers activity queries (ADL's does; Ralph's file backend matches
        none), asked once per store with a statement it is known to hold (by its object and its
        registration, a tiny answer); None while the store holds none to ask with."""
        known = self._meta("activity_filter")
        if known is not None:
            return known == "yes"
        sample = self.db.execute("SELECT id, object, registration FROM statements WHERE registration != '' LIMIT 1").fetchone()
        if sample is None:
            return None
        ident, target, registration = sample
        try:
            statements, _page = next(iter(lrs.pages(activity=target, registration=registration, limit=PAGE)))
        except LrsError as exc:
            if exc.status in (401, 403):
                raise
            statements = []  # a query it refuses (400, 501…) or answers oddly: it does not filter for us
        # the statement comes back, and only statements of that attempt do: an LRS that ignores
        # the filters answers the others too, and by activity would read everything once per module
        rows = [row_of(s, "") for s in statements]
        answer = any(r is not None and r[0].lower() == ident.lower() for r in rows) and all(
            r is not None and r[4] == registration for r in rows)
        self._set_meta("activity_filter", "yes" if answer else "no")
        self.db.commit()
        return answer

    def pull(self, lrs: LrsClient, base: str, activities: list[str], by_activity: bool | None = None) -> int:
        """Fetch what is new; return how many statements the LRS sent. By activity (``by_activity``
        True, or None and the LRS is seen to filter): one query per activity IRI with
        ``related_activities`` (which also finds cmi5 statements through their grouping) instead
        of every statement of the LRS, other applications' included."""
        self.bind(lrs.endpoint, base)
        if by_activity is None:
            by_activity = bool(self.filters_by_activity(lrs))
        params: dict[str, Any] = {"limit": PAGE, "ascending": "true"}
        since = self.since()
        if since:
            params["since"] = since
        queries = [{**params, "activity": iri, "related_activities": "true"} for iri in activities] if by_activity else [params]
        latest = _parse_time(self._meta("latest") or "")
        bulk = self.count() == 0  # a first pull: rows kept as they come, folded once at the end
        if bulk:
            self._set_meta("folded", "0")
            self.db.commit()
        fetched = 0
        for query in queries:
            fetched_here, latest = self._pull_one(lrs, base, query, latest, bulk)
            fetched += fetched_here
        if bulk:
            self._refold()
        if latest:  # only once complete: an LRS may page newest first
            self._set_meta("latest", latest.isoformat())
            self.db.commit()
        return fetched

    def _pull_one(self, lrs: LrsClient, base: str, query: dict[str, Any],
                  latest: datetime.datetime | None, bulk: bool) -> tuple[int, datetime.datetime | None]:
        fetched = 0
        for statements, _page in lrs.pages(**query):
            fetched += len(statements)
            rows = [r for r in (row_of(s, base) for s in statements) if r is not None]
            if bulk:
                self.db.executemany("INSERT OR IGNORE INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            else:
                self._add(rows)
            for statement in statements:
                stored = _parse_time(statement.get("stored", "")) if isinstance(statement, dict) and isinstance(
                    statement.get("stored"), str) else None
                if stored and (latest is None or stored > latest):
                    latest = stored
            self.db.commit()  # each page kept; an interrupted pull starts again from the same ``since``
        return fetched, latest

    def _add(self, rows: list[tuple]) -> None:
        """Keep the rows not yet held (one per id) and fold them into what the report reads."""
        self.db.execute("DELETE FROM page")
        self.db.executemany("INSERT OR IGNORE INTO page VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        new = "id NOT IN (SELECT id FROM statements)"
        for fold in _FOLD:
            self.db.execute(fold.format(source="page", new=new))
        self.db.execute(f"INSERT INTO statements SELECT * FROM page WHERE {new}")

    def learning(self) -> Iterable[Learning]:
        return self.db.execute("SELECT object, grouping, learner, verbs, best, statements FROM learning")

    def times(self) -> Iterable[Times]:
        return self.db.execute("SELECT object, grouping, COUNT(*), SUM(seconds) FROM attempts GROUP BY object, grouping")

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM statements").fetchone()[0])
