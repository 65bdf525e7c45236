"""The store's tables: the statements, one row each, and the facts folded from them by learner
(what each figure of docs/report.md reads), with the SQL that folds new rows in."""

from __future__ import annotations

#: Bumped when the rows' columns change: an older store is emptied and read again from the LRS.
SCHEMA_VERSION = "2"
_COLUMNS = ("id TEXT PRIMARY KEY, learner TEXT NOT NULL, object TEXT NOT NULL, grouping TEXT NOT NULL, "
            "registration TEXT NOT NULL, verb TEXT NOT NULL, scaled REAL, seconds REAL, stored TEXT NOT NULL, "
            "ts TEXT NOT NULL, success INTEGER, response TEXT")
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS statements ({_COLUMNS});
CREATE TABLE IF NOT EXISTS learning (
    object TEXT NOT NULL, grouping TEXT NOT NULL, learner TEXT NOT NULL, verbs INTEGER NOT NULL, best REAL,
    statements INTEGER NOT NULL, first TEXT NOT NULL, PRIMARY KEY (object, grouping, learner)
);
CREATE TABLE IF NOT EXISTS attempts (
    object TEXT NOT NULL, grouping TEXT NOT NULL, learner TEXT NOT NULL, attempt TEXT NOT NULL, seconds REAL NOT NULL,
    PRIMARY KEY (object, grouping, learner, attempt)
);
CREATE TABLE IF NOT EXISTS outcomes (
    object TEXT NOT NULL, grouping TEXT NOT NULL, learner TEXT NOT NULL, attempt TEXT NOT NULL, verbs INTEGER NOT NULL,
    PRIMARY KEY (object, grouping, learner, attempt)
);
CREATE TABLE IF NOT EXISTS answering (
    object TEXT NOT NULL, learner TEXT NOT NULL, first TEXT NOT NULL, first_success INTEGER,
    last TEXT NOT NULL, last_success INTEGER, PRIMARY KEY (object, learner)
);
CREATE TABLE IF NOT EXISTS tries (
    object TEXT NOT NULL, learner TEXT NOT NULL, attempt TEXT NOT NULL, tries INTEGER NOT NULL,
    PRIMARY KEY (object, learner, attempt)
);
CREATE TABLE IF NOT EXISTS wrong (
    object TEXT NOT NULL, learner TEXT NOT NULL, response TEXT NOT NULL, chosen INTEGER NOT NULL,
    PRIMARY KEY (object, learner, response)
);
CREATE TABLE IF NOT EXISTS visits (
    object TEXT NOT NULL, learner TEXT NOT NULL, attempt TEXT NOT NULL, last TEXT NOT NULL,
    PRIMARY KEY (object, learner, attempt)
);
CREATE TABLE IF NOT EXISTS people (
    learner TEXT PRIMARY KEY, name TEXT, mbox TEXT, account TEXT, source TEXT NOT NULL DEFAULT 'lrs'
);
CREATE TABLE IF NOT EXISTS forgotten (hash TEXT PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS page ({_COLUMNS});
"""
#: Folded tables, all keyed by learner.
FOLDED = ("learning", "attempts", "outcomes", "answering", "tries", "wrong", "visits")
#: Bits of ``learning.verbs`` and ``outcomes.verbs``: the verbs the report's definitions read.
PASSED, FAILED, COMPLETED = 1, 2, 4
_BITS = "MAX(verb = 'passed') | (MAX(verb = 'failed') << 1) | (MAX(verb = 'completed') << 2)"
#: Verbs about a part of a module (a question, a page): their duration is not the attempt's time.
PARTS = "('answered', 'experienced')"
#: Fold the rows of ``{source}`` not yet in the store (``{new}``) into the folded tables.
FOLD = (
    f"""INSERT INTO learning (object, grouping, learner, verbs, best, statements, first)
       SELECT object, grouping, learner, {_BITS}, MAX(scaled), COUNT(*), MIN(ts)
       FROM {{source}} WHERE {{new}} GROUP BY object, grouping, learner
       ON CONFLICT (object, grouping, learner) DO UPDATE SET verbs = verbs | excluded.verbs,
          best = CASE WHEN best IS NULL THEN excluded.best WHEN excluded.best IS NULL THEN best
                      ELSE MAX(best, excluded.best) END,
          statements = statements + excluded.statements, first = MIN(first, excluded.first)""",
    f"""INSERT INTO attempts (object, grouping, learner, attempt, seconds)
       SELECT object, grouping, learner, CASE WHEN registration = '' THEN id ELSE registration END, MAX(seconds)
       FROM {{source}} WHERE seconds IS NOT NULL AND verb NOT IN {PARTS} AND {{new}} GROUP BY 1, 2, 3, 4
       ON CONFLICT (object, grouping, learner, attempt) DO UPDATE SET seconds = MAX(seconds, excluded.seconds)""",
    f"""INSERT INTO outcomes (object, grouping, learner, attempt, verbs)
       SELECT object, grouping, learner, registration, {_BITS}
       FROM {{source}} WHERE verb IN ('passed', 'failed', 'completed') AND {{new}} GROUP BY 1, 2, 3, 4
       ON CONFLICT (object, grouping, learner, attempt) DO UPDATE SET verbs = verbs | excluded.verbs""",
    # the first answer (SQLite gives the bare column of the row holding the MIN), then the latest
    """INSERT INTO answering (object, learner, first, first_success, last, last_success)
       SELECT object, learner, MIN(ts), success, MIN(ts), success
       FROM {source} WHERE verb = 'answered' AND {new} GROUP BY object, learner
       ON CONFLICT (object, learner) DO UPDATE SET
          first_success = CASE WHEN excluded.first < first THEN excluded.first_success ELSE first_success END,
          first = MIN(first, excluded.first)""",
    """INSERT INTO answering (object, learner, first, first_success, last, last_success)
       SELECT object, learner, MAX(ts), success, MAX(ts), success
       FROM {source} WHERE verb = 'answered' AND {new} GROUP BY object, learner
       ON CONFLICT (object, learner) DO UPDATE SET
          last_success = CASE WHEN excluded.last >= last THEN excluded.last_success ELSE last_success END,
          last = MAX(last, excluded.last)""",
    """INSERT INTO tries (object, learner, attempt, tries)
       SELECT object, learner, registration, COUNT(*) FROM {source} WHERE verb = 'answered' AND {new} GROUP BY 1, 2, 3
       ON CONFLICT (object, learner, attempt) DO UPDATE SET tries = tries + excluded.tries""",
    """INSERT INTO wrong (object, learner, response, chosen)
       SELECT object, learner, response, COUNT(*) FROM {source}
       WHERE verb = 'answered' AND success = 0 AND response IS NOT NULL AND {new} GROUP BY 1, 2, 3
       ON CONFLICT (object, learner, response) DO UPDATE SET chosen = chosen + excluded.chosen""",
    """INSERT INTO visits (object, learner, attempt, last)
       SELECT object, learner, registration, MAX(ts) FROM {source} WHERE verb = 'experienced' AND {new} GROUP BY 1, 2, 3
       ON CONFLICT (object, learner, attempt) DO UPDATE SET last = MAX(last, excluded.last)""",
)
#: Folded facts: (object IRI, grouping IRIs joined by spaces, learner, verb bits, best scaled score
#: or None, statements, first time).
Learning = tuple[str, str, str, int, "float | None", int, str]
#: Attempt times: (object IRI, grouping, attempts, total seconds of their longest durations).
Times = tuple[str, str, int, float]
#: Attempt outcomes: (object IRI, grouping, learner, attempt, verb bits).
Outcome = tuple[str, str, str, str, int]
#: Per question: (question IRI, learners, right at first try, right at the latest, tries, attempts).
Answers = tuple[str, int, int, int, int, int]
#: Wrong answers: (question IRI, response, times chosen).
Wrong = tuple[str, str, int]
#: Page visits: (page IRI, learner, attempt, latest time).
Visit = tuple[str, str, str, str]
