"""A statement of the LRS as the store's row: who, what, which verb, score, duration, times,
answer given. Millions of statements pass here, so the usual shape is read directly; anything
else goes through the careful read, each part taken for what it validly says (xAPI 1.0.3)."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from packager.report.shapes import Statement, as_dict

#: What the store knows to reach a learner: (learner, name, mbox, account name, source).
Person = tuple[str, "str | None", "str | None", "str | None", str]


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


def person_of(actor: Any, learner: str) -> Person:
    """What the actor itself says to reach the learner: its name, mailbox and account name."""
    actor = _dict(actor)
    account = _dict(actor.get("account"))

    def text(value: Any) -> str | None:
        return value if isinstance(value, str) and value else None

    return (learner, text(actor.get("name")), text(actor.get("mbox")), text(account.get("name")), "lrs")


_DURATION = re.compile(r"P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?")


def seconds_of(duration: Any) -> float | None:
    """ISO 8601 duration (``PT1H2M3.5S``, ``P1DT2H``) in seconds; None for anything else."""
    if not isinstance(duration, str):
        return None
    return _seconds(duration)


@functools.lru_cache(maxsize=4096)
def _seconds(duration: str) -> float | None:
    """(A few thousand distinct durations for millions of statements: each parsed once.)"""
    match = _DURATION.fullmatch(duration)
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


_UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?")


def utc_text(stamp: Any) -> str | None:
    """A time as UTC ``YYYY-MM-DDTHH:MM:SS[.fff]`` without zone: such texts sort as the times do
    (a shorter one, without fraction, is the earlier of the same second). The common ``…Z`` is
    taken as it is, anything else parsed."""
    if not isinstance(stamp, str):
        return None
    bare = stamp[:-1] if stamp.endswith("Z") else stamp[:-6] if stamp.endswith("+00:00") else None
    if bare is not None and _UTC_TEXT.fullmatch(bare):
        return bare
    parsed = parse_time(stamp)
    return parsed.astimezone(datetime.UTC).replace(tzinfo=None).isoformat() if parsed else None


def row_of(statement: Any, base: str) -> tuple[Any, ...] | None:
    """The store's row for a statement that concerns the catalogue (object or grouping under
    ``base``), or None. Millions of statements pass here: the common shape is read directly,
    and anything the direct read does not expect goes through the checks."""
    try:
        return _common_row(statement, base)
    except (KeyError, TypeError, AttributeError, ValueError):
        return _checked_row(statement, base)


_VERB = "http://adlnet.gov/expapi/verbs/"


def _common_row(statement: dict[str, Any], base: str) -> tuple[Any, ...] | None:
    """The row of a statement of the usual shape (every part where xAPI puts it, with its type);
    raises on anything else, for ``_checked_row`` to read."""
    ident = statement["id"]
    target = statement["object"]["id"]
    context = statement["context"]
    groups = context["contextActivities"]["grouping"] if "contextActivities" in context else []
    grouping = [a["id"] for a in groups]
    verb = statement["verb"]["id"]
    account = statement["actor"].get("account")
    learner = f"{account['homePage']}|{account['name']}" if account else statement["actor"]["mbox"]
    registration = context.get("registration", "")
    stored = statement.get("stored", "")
    if not (type(ident) is str and type(target) is str and type(verb) is str and type(learner) is str
            and type(registration) is str and type(stored) is str and all(type(g) is str for g in grouping)
            and verb.startswith(_VERB) and learner and (not account or (account["homePage"] and account["name"]))):
        raise ValueError("not the usual shape")
    if not (target.startswith(base) or any(g.startswith(base) for g in grouping)):
        return None
    verb = verb[len(_VERB):]
    result = statement.get("result") or {}
    score = result.get("score")
    duration = result.get("duration")
    success = result.get("success")
    response = result.get("response") if verb == "answered" else None
    return (ident, learner, target, " ".join(grouping), registration.lower(), verb,
            scaled_of(score) if score is not None else None, seconds_of(duration) if duration is not None else None,
            stored, utc_text(statement.get("timestamp")) or utc_text(stored) or "",
            int(success) if isinstance(success, bool) else None, response if isinstance(response, str) else None)


def shaped_row(statement: Statement, base: str) -> tuple[Any, ...] | None:
    """``row_of`` for a statement decoded into the report's shapes (``shapes``): the same row."""
    context = statement.context
    activities = context.contextActivities if context is not None else None
    grouping = [a.id for a in activities.grouping] if activities is not None else []
    target = statement.object.id
    if not (target.startswith(base) or any(g.startswith(base) for g in grouping)):
        return None
    verb = statement.verb.id
    actor = statement.actor
    account = actor.account
    if account is not None:
        home, name = account.homePage, account.name
        learner = f"{home}|{name}" if type(home) is str and type(name) is str and home and name else None
    else:
        learner = actor.mbox if type(actor.mbox) is str and actor.mbox else None
    if learner is None or not verb.startswith(_VERB):
        return _checked_row(as_dict(statement), base)
    verb = verb[len(_VERB):]
    result = statement.result
    scaled = seconds = success = response = None
    if result is not None:
        score = result.score
        if score is not None:
            scaled = scaled_of({"scaled": score.scaled, "raw": score.raw, "min": score.min, "max": score.max})
        if result.duration is not None:
            seconds = seconds_of(result.duration)
        if result.success is not None:
            success = int(result.success)
        if verb == "answered":
            response = result.response
    stored = statement.stored
    return (statement.id, learner, target, " ".join(grouping), context.registration.lower() if context is not None else "",
            verb, scaled, seconds, stored, utc_text(statement.timestamp) or utc_text(stored) or "", success, response)


def _checked_row(statement: Any, base: str) -> tuple[Any, ...] | None:
    """The row of a statement of any shape: each part read for what it validly says."""
    statement = _dict(statement)
    ident = statement.get("id")
    target = _dict(statement.get("object")).get("id")
    context = _dict(statement.get("context"))
    groups = _dict(context.get("contextActivities")).get("grouping")
    grouping = [a["id"] for a in groups if isinstance(a, dict) and isinstance(a.get("id"), str)] if isinstance(groups, list) else []
    if not isinstance(ident, str) or not isinstance(target, str):
        return None
    if not (target.startswith(base) or any(g.startswith(base) for g in grouping)):
        return None
    learner = learner_of(statement.get("actor"))
    verb = _dict(statement.get("verb")).get("id")
    if learner is None or not isinstance(verb, str):
        return None
    verb = verb[verb.rfind("/") + 1:]
    result = _dict(statement.get("result"))
    registration = context.get("registration")
    registration = registration.lower() if isinstance(registration, str) else ""
    stored = statement.get("stored")
    stored = stored if isinstance(stored, str) else ""
    ts = utc_text(statement.get("timestamp")) or utc_text(stored) or ""
    success = result.get("success")
    response = result.get("response") if verb == "answered" else None
    score = result.get("score")
    duration = result.get("duration")
    return (ident, learner, target, " ".join(grouping), registration, verb,
            scaled_of(score) if score is not None else None, seconds_of(duration) if duration is not None else None,
            stored, ts, int(success) if isinstance(success, bool) else None, response if isinstance(response, str) else None)


def parse_time(text: str) -> datetime.datetime | None:
    try:
        stamp = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=datetime.UTC)
