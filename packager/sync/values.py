"""What Moodle stores, read as xAPI says it: the verb an attempt earned, its score made valid,
its total time and a latency as durations, an answer in xAPI's response format."""

from __future__ import annotations

import datetime
import math
import re

from packager.sync.results import AttemptResult

def verb_of(result: AttemptResult) -> str | None:
    """passed / failed when the package decided, completed when it was only completed, attempted
    when the learner began and has not finished (the report counts who started); None when
    Moodle holds nothing begun ("not attempted", "unknown")."""
    success = result.success_status if result.success_status in ("passed", "failed") else result.lesson_status
    if success in ("passed", "failed"):
        return success
    if result.lesson_status == "completed" or result.completion_state in (1, 2):
        return "completed"
    if result.lesson_status in ("incomplete", "browsed"):
        return "attempted"
    return None


_SCORM12_TIME = re.compile(r"^(\d+):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$")
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration(total_time: str) -> datetime.timedelta | None:
    """SCORM 1.2 ``HHHH:MM:SS.SS`` or SCORM 2004 ``PT1H2M3.4S``."""
    if match := _SCORM12_TIME.match(total_time):
        hours, minutes, seconds, hundredths = match.groups()
        return datetime.timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds),
                                  milliseconds=int((hundredths or "0").ljust(2, "0")) * 10)
    if (match := _ISO_DURATION.match(total_time)) and total_time not in ("P", "PT"):
        days, hours, minutes, seconds = match.groups()
        return datetime.timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                                  seconds=float(seconds or 0))
    return None


def _number(text: str) -> float | None:
    """A finite number, or None: Moodle stores what the package sent, and "nan" or "inf" parse."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def score_of(result: AttemptResult) -> tuple[dict[str, float] | None, dict[str, str] | None]:
    """(xAPI score, Moodle's original when it had to change): raw clamped into [min, max], min
    and max kept only when min < max, scaled in [-1, 1]."""
    raw = _number(result.score_raw)
    if raw is None:
        return None, None
    low, high = _number(result.score_min), _number(result.score_max)
    low = 0.0 if low is None else low
    high = 100.0 if high is None else high
    original = {"raw": result.score_raw, "min": result.score_min, "max": result.score_max}
    if not high > low:
        return {"raw": raw}, original
    clamped = max(low, min(high, raw))
    score = {"raw": clamped, "min": low, "max": high, "scaled": max(-1.0, min(1.0, round((clamped - low) / (high - low), 4)))}
    return score, (original if clamped != raw else None)


#: SCORM interaction results that say right or wrong (1.2 "wrong", 2004 "incorrect")
SUCCESS = {"correct": True, "wrong": False, "incorrect": False}
#: SCORM 1.2 true-false responses (CMIBoolean-like: 0, 1, t, f) in xAPI's words
_TRUE_FALSE = {"t": "true", "1": "true", "true": "true", "f": "false", "0": "false", "false": "false"}


def xapi_response(kind: str, response: str) -> str:
    """A SCORM learner response in xAPI's format for the interaction type: SCORM 1.2 writes
    choices and sequences ``0,2``, matching pairs ``0.1,1.0``, true-false ``t``/``f``; SCORM 2004
    and xAPI write ``0[,]2``, ``0[.]1[,]1[.]0``, ``true``/``false``. Fill-in text is kept as typed."""
    if kind == "true-false":
        return _TRUE_FALSE.get(response.strip().lower(), response)
    if kind in ("choice", "sequencing", "likert") and "[,]" not in response:
        return "[,]".join(response.split(","))
    if kind == "matching" and "[.]" not in response:
        return "[,]".join("[.]".join(pair.split(".")) for pair in response.split(","))
    return response


def utc(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC).isoformat(timespec="milliseconds")


def iso_duration(spent: datetime.timedelta) -> str:
    """ISO 8601 duration with at most hundredths of a second (xAPI 1.0.3 §4.6)."""
    total = round(spent.total_seconds(), 2)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{seconds:.2f}".rstrip("0").rstrip(".")
    return f"PT{int(hours)}H{int(minutes)}M{text}S"
