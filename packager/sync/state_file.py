"""The sync state file's shape, checked on every read: a damaged file stops the run, never resets it.

A state read as empty sends every result again (the LRS recognises them: nothing is stored
twice) but loses the statements set aside, the actor form and the statement home that fix how
learners are named: a new form or home names each learner twice in the LRS. So a file that is not
JSON, or holds what no version of CoursePack wrote (a key it does not know: perhaps a newer
version's), is refused with where it is wrong, and left as it is for someone to look at.

Every shape an earlier version wrote reads as it did:

- the first version: one bare time per ``"<moodle> -> <lrs>"`` (``{"…": 1764000000}``);
- 1.1.0: ``{cursor, read_upto, actor, recent, set_aside}`` per address, later with ``legacy_upto``;
- 1.2.0: keyed by the site's own name and the catalogue, with ``home``.

Missing keys take their defaults. The values are kept as JSON: the engine turns an entry into a
``SyncEntry`` (``engine.SyncEntry.from_json``), and entries it does not touch are written back
as they were read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, RootModel, StrictInt, StrictStr, ValidationError
from pydantic_core import ErrorDetails

Key = tuple[StrictInt, StrictInt]


class SetAsideRecord(BaseModel):
    """A statement the LRS refused, kept to be sent again (``sync --retry-set-aside``)."""

    model_config = ConfigDict(extra="forbid")

    statement: dict[str, Any]
    status: StrictInt | None = None
    reason: StrictStr | None = None
    learner: StrictStr | None = None
    module: StrictStr | None = None
    attempt: StrictInt | None = None
    when: StrictStr | None = None


class EntryRecord(BaseModel):
    """One (site, catalogue, LRS) entry as 1.1.0 and later write it."""

    model_config = ConfigDict(extra="forbid")

    cursor: Key = (0, 0)
    read_upto: Key = (0, 0)
    actor: StrictStr | None = None
    recent: dict[str, StrictInt] = {}
    set_aside: list[SetAsideRecord] = []
    legacy_upto: StrictInt | None = None
    home: StrictStr | None = None


#: An entry of the first version (its cursor, a bare time) or of a later one.
Entry = StrictInt | EntryRecord


class StateFile(RootModel[dict[str, Entry]]):
    pass


class StateUnreadable(Exception):
    """The file exists and cannot be trusted. ``problem``: ``json`` (line, column), ``shape``
    (not an object of entries), ``unknown`` or ``value`` (``entry``, ``field``, ``got``)."""

    def __init__(self, path: Path, problem: str, **params: Any) -> None:
        super().__init__(f"{path}: {problem} {params}")
        self.path = path
        self.problem = problem
        self.params = params


def _kind(value: Any) -> str:
    """The JSON name of what was found: ``string``, ``array``… (the file is JSON)."""
    for kind, types in (("boolean", bool), ("number", (int, float)), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, types):
            return kind
    return "null"


def _problem(path: Path, error: ErrorDetails) -> StateUnreadable:
    """Where in the file, never the value (statements name learners)."""
    loc = [str(part) for part in error["loc"]]
    if not loc:
        return StateUnreadable(path, "shape", got=_kind(error.get("input")))
    entry = loc[0]
    field = ".".join(part for part in loc[1:] if part not in ("int", "EntryRecord")) or None
    problem = "unknown" if error["type"] == "extra_forbidden" else "value"
    return StateUnreadable(path, problem, entry=entry, field=field, got=_kind(error.get("input")))


def read_entries(path: Path) -> dict[str, Any]:
    """The file's entries as JSON values, each of a shape some version wrote; {} when there is no
    file. Raises ``StateUnreadable`` for anything else, an empty file included."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise StateUnreadable(path, "json", line=1, column=1) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateUnreadable(path, "json", line=exc.lineno, column=exc.colno) from None
    if not isinstance(data, dict):
        raise StateUnreadable(path, "shape", got=_kind(data))
    try:
        StateFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # an entry fits neither shape: pydantic reports both; the record's error says where
        record = [e for e in errors if len(e["loc"]) < 2 or e["loc"][1] != "int"]
        raise _problem(path, (record or errors)[0]) from None
    return data


def entry_record(value: Any) -> EntryRecord | int:
    """A checked entry (a value ``read_entries`` returned) as its model."""
    return value if isinstance(value, int) else EntryRecord.model_validate(value)
