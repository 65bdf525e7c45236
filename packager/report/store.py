"""The report's local store: the LRS's statements that concern the catalogue, one row each, in
SQLite. Filled incrementally (``since`` the latest ``stored`` time of the last complete pull, minus a margin), so that a
re-run asks the LRS only for what is new, and the report is computed from here (docs/report.md).

Beside the rows, the store keeps what the report reads, folded as the rows come in: per (object,
grouping, learner) the verbs seen, the best score and the first time; per attempt its longest
duration and its outcome; per (question, learner) the first and the latest answer, the tries per
attempt and the wrong answers chosen; per (page, attempt) the latest visit. A new statement only
updates those, so a re-run's compute reads folded rows, never the statements again.

Every folded table is keyed by learner, so that forgetting one (RGPD) is a delete in each, and
the file is the learner's data: it is created 0600.

A statement of an unexpected shape (``result: null``, ``object: "x"``, ``duration: 5``) is read
for what it validly says and nothing more; the LRS's page itself, if it is not xAPI, is an error
raised by the LRS client.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from packager.lrs.client import LrsClient, LrsError
from packager.report.rows import Person, parse_time, person_of, row_of, shaped_row, utc_text
from packager.report.shapes import Statement, as_dict, decode_page
from packager.report.tables import Answers, FOLD, FOLDED, Learning, Outcome, SCHEMA, SCHEMA_VERSION, Times, Visit, Wrong
from packager.utils.prefetch import prefetched

#: How far back each pull reaches behind the latest ``stored`` time held (LRS commit lag).
MARGIN = datetime.timedelta(minutes=5)
PAGE = 500
def _private_file(path: Path) -> None:
    """The store holds learners' data: created 0600 (SQLite itself would follow the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


class Store:
    def __init__(self, path: Path) -> None:
        _private_file(path)
        self.db = sqlite3.connect(path)
        # one commit per page of 500 statements: with a write-ahead log and NORMAL sync, a commit
        # costs no fsync (a power cut may lose the last pages; the next pull reads them again)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        columns = [row[1] for row in self.db.execute("PRAGMA table_info(statements)")]
        if columns and "response" not in columns:  # a store of an older version: read again from the LRS
            self._drop_all()
        self.db.executescript(SCHEMA)
        self._set_meta("schema", SCHEMA_VERSION)
        if self._meta("folded") != "1":  # written before the folded tables, or a first pull cut short
            self._refold()
        self._forgotten: set[str] | None = None

    def _drop_all(self) -> None:
        tables = [row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            if table != "forgotten":
                self.db.execute(f"DROP TABLE {table}")
        self.db.commit()

    def _refold(self) -> None:
        """Fold every statement held, afresh: one pass over the table (a first pull, an old store, a purge)."""
        for table in FOLDED:
            self.db.execute(f"DELETE FROM {table}")
        for fold in FOLD:
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
        """A store holds one LRS's statements for one base IRI: another pair starts it afresh
        (keeping the pseudonym key and the forgotten learners)."""
        if self._meta("endpoint") not in (None, endpoint) or self._meta("base") not in (None, base):
            for table in ("statements", "people", *FOLDED):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("DELETE FROM meta WHERE key NOT IN ('pseudonym_key', 'schema')")
            self._set_meta("folded", "1")
        self._set_meta("endpoint", endpoint)
        self._set_meta("base", base)
        self.db.commit()

    def since(self) -> str | None:
        latest = self._meta("latest")
        stamp = parse_time(latest) if latest else None
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
        latest = parse_time(self._meta("latest") or "")
        bulk = self.db.execute("SELECT 1 FROM statements LIMIT 1").fetchone() is None  # a first pull: rows kept as they come, folded once at the end
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
        # the next page is asked for and decoded while this one is stored
        for pages, (statements, _page) in enumerate(prefetched(lrs.pages(decode=decode_page, **query)), start=1):
            fetched += len(statements)
            rows, people = self._rows(statements, base)
            if bulk:
                self.db.executemany("INSERT OR IGNORE INTO statements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            else:
                self._add(rows)
            self._remember(people)
            oldest = min((r[9] for r in rows if r[9]), default=None)
            if oldest is not None and (self._meta("oldest") or "\uffff") > oldest:
                self._set_meta("oldest", oldest)
            # the latest stored time of the page: compared as UTC texts, parsed once
            newest = max((t for t in (utc_text(s.stored if isinstance(s, Statement) else s.get("stored"))
                                      for s in statements if isinstance(s, (dict, Statement))) if t), default=None)
            stored = parse_time(newest) if newest else None
            if stored and (latest is None or stored > latest):
                latest = stored
            if not bulk or pages % 20 == 0:  # kept as it goes (a first pull: every 10,000); an interrupted pull starts again from the same ``since``
                self.db.commit()
        return fetched, latest

    def _rows(self, statements: list[Any], base: str) -> tuple[list[tuple[Any, ...]], dict[str, Person]]:
        """The rows of one page, and the people they name, leaving out forgotten learners."""
        rows: list[tuple[Any, ...]] = []
        people: dict[str, Person] = {}
        forgotten = self.forgotten_hashes()
        for statement in statements:
            shaped = isinstance(statement, Statement)  # the whole page, decoded into the report's shapes
            row = shaped_row(statement, base) if shaped else row_of(statement, base)
            if row is None:
                continue
            learner = row[1]
            if learner not in people:
                if forgotten and self.hash_of(learner) in forgotten:
                    continue
                people[learner] = person_of(as_dict(statement.actor) if shaped else statement.get("actor"), learner)
            rows.append(row)
        return rows, people

    def _add(self, rows: list[tuple[Any, ...]]) -> None:
        """Keep the rows not yet held (one per id) and fold them into what the report reads."""
        self.db.execute("DELETE FROM page")
        self.db.executemany("INSERT OR IGNORE INTO page VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        new = "id NOT IN (SELECT id FROM statements)"
        for fold in FOLD:
            self.db.execute(fold.format(source="page", new=new))
        self.db.execute(f"INSERT INTO statements SELECT * FROM page WHERE {new}")

    def _remember(self, people: dict[str, Person]) -> None:
        """What the statements say of each learner; contacts given by another source (see
        ``remember_contact``) are kept over the actor's."""
        self.db.executemany(
            """INSERT INTO people (learner, name, mbox, account, source) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (learner) DO UPDATE SET name = COALESCE(excluded.name, name),
                  mbox = COALESCE(excluded.mbox, mbox), account = COALESCE(excluded.account, account)
               WHERE source = 'lrs'""", list(people.values()))

    def remember_contact(self, learner: str, *, name: str | None, email: str | None, source: str) -> None:
        """The hook for a better source of contacts than the statements' actor (the sync, from
        Moodle, with the capability that allows it): kept over what the LRS says, until forgotten."""
        self.db.execute(
            """INSERT INTO people (learner, name, mbox, account, source) VALUES (?, ?, ?, NULL, ?)
               ON CONFLICT (learner) DO UPDATE SET name = excluded.name, mbox = excluded.mbox, source = excluded.source""",
            (learner, name, f"mailto:{email}" if email else None, source))
        self.db.commit()

    def drop_contacts(self, source: str) -> None:
        """Forget every contact that ``source`` gave (Moodle's, once its capability is withdrawn):
        the authority's choice holds from the next report on, not only for new agents."""
        self.db.execute("UPDATE people SET name = NULL, mbox = NULL, source = 'lrs' WHERE source = ?", (source,))
        self.db.commit()

    # --- personal data ---------------------------------------------------------------------

    def _key(self) -> bytes:
        key = self._meta("pseudonym_key")
        if key is None:
            key = secrets.token_hex(32)
            self._set_meta("pseudonym_key", key)
            self.db.commit()
        return bytes.fromhex(key)

    def hash_of(self, learner: str) -> str:
        return hmac.new(self._key(), learner.encode("utf-8"), hashlib.sha256).hexdigest()

    def pseudonym(self, learner: str) -> str:
        """The same learner gets the same pseudonym on every run of this store, and nobody can
        tell who it is without the store's own key."""
        return "Agent " + self.hash_of(learner)[:8].upper()

    def forgotten_hashes(self) -> set[str]:
        if self._forgotten is None:
            self._forgotten = {row[0] for row in self.db.execute("SELECT hash FROM forgotten")}
        return self._forgotten

    def find_learners(self, text: str) -> list[str]:
        """The learners ``text`` names: the learner's key, account name, e-mail address, name or pseudonym."""
        found = {row[0] for row in self.db.execute(
            """SELECT learner FROM people WHERE learner = ?1 OR account = ?1 OR mbox = ?1 OR mbox = 'mailto:' || ?1
               OR name = ?1""", (text,))}
        if text.startswith("Agent "):
            found |= {learner for (learner,) in self.db.execute("SELECT learner FROM people")
                      if self.pseudonym(learner) == text}
        return sorted(found)

    def forget(self, learner: str) -> int:
        """Remove everything the store holds of a learner, and leave their statements out of every
        later pull (only a keyed hash is kept, to recognise them). Returns the statements removed."""
        removed = self.db.execute("DELETE FROM statements WHERE learner = ?", (learner,)).rowcount
        for table in (*FOLDED, "people"):
            self.db.execute(f"DELETE FROM {table} WHERE learner = ?", (learner,))
        self.db.execute("INSERT OR IGNORE INTO forgotten VALUES (?)", (self.hash_of(learner),))
        self.db.commit()
        self._forgotten = None
        return removed

    def purge_before(self, cutoff: datetime.datetime) -> int:
        """Remove every statement older than ``cutoff`` (its time, else its stored time) and the
        learners left with none; the folded facts are folded again from what stays."""
        limit = cutoff.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
        oldest = self._meta("oldest")
        if oldest is not None and oldest >= limit:  # nothing that old: no scan of the whole table
            return 0
        removed = self.db.execute("DELETE FROM statements WHERE ts < ?", (limit,)).rowcount
        found = self.db.execute("SELECT MIN(ts) FROM statements WHERE ts != ''").fetchone()[0]
        if found is not None:
            self._set_meta("oldest", found)
        self.db.commit()
        if removed:
            self.db.execute("DELETE FROM people WHERE source = 'lrs' AND learner NOT IN (SELECT DISTINCT learner FROM statements)")
            self._refold()
        return removed

    # --- what the report reads -------------------------------------------------------------

    def learning(self) -> Iterable[Learning]:
        return self.db.execute("SELECT object, grouping, learner, verbs, best, statements, first FROM learning")

    def times(self) -> Iterable[Times]:
        return self.db.execute("SELECT object, grouping, COUNT(*), SUM(seconds) FROM attempts GROUP BY object, grouping")

    def outcomes(self) -> Iterable[Outcome]:
        return self.db.execute("SELECT object, grouping, learner, attempt, verbs FROM outcomes")

    def answers(self) -> Iterable[Answers]:
        return self.db.execute(
            """SELECT a.object, a.learners, a.first_right, a.last_right, t.tries, t.attempts FROM
               (SELECT object, COUNT(*) AS learners, SUM(first_success = 1) AS first_right, SUM(last_success = 1) AS last_right
                FROM answering GROUP BY object) AS a
               JOIN (SELECT object, SUM(tries) AS tries, COUNT(*) AS attempts FROM tries GROUP BY object) AS t USING (object)""")

    def wrong_answers(self) -> Iterable[Wrong]:
        return self.db.execute("SELECT object, response, SUM(chosen) FROM wrong GROUP BY object, response")

    def visits(self) -> Iterable[Visit]:
        return self.db.execute("SELECT object, learner, attempt, last FROM visits")

    def missed(self, learners: Iterable[str]) -> Iterable[tuple[str, str]]:
        """(learner, question IRI) whose latest answer was wrong, for the given learners."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS asked (learner TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM asked")
        self.db.executemany("INSERT OR IGNORE INTO asked VALUES (?)", ((learner,) for learner in learners))
        return self.db.execute("SELECT learner, object FROM answering JOIN asked USING (learner) WHERE last_success = 0")

    def people(self, learners: Iterable[str]) -> dict[str, Person]:
        wanted = set(learners)
        return {row[0]: row for row in self.db.execute("SELECT learner, name, mbox, account, source FROM people")
                if row[0] in wanted}

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM statements").fetchone()[0])
