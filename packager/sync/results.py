"""Learners' SCORM results from Moodle, oldest change first.

With the companion plugin, one keyset-paged call lists the attempts changed after the cursor. Without
it, core functions give the same facts learner by learner (enrolled users, attempt counts, SCO
tracks, activity completion): much slower, but it works on a site without the plugin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from collections.abc import Iterator

from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.functions import GET_RESULTS
from packager.moodle.idnumbers import Namespace

PAGE_SIZE = 5000  # the plugin's largest page: 50,000 attempts in 11 calls


@dataclass(frozen=True)
class Interaction:
    """One SCORM interaction of an attempt as Moodle stored it: with CoursePack's player, one try
    at one question (every try gets a new index). ``time`` is the runtime's own (SCORM 1.2: a time
    of day without date; 2004: a local timestamp without zone); ``stored`` is when Moodle stored it."""

    index: int
    id: str
    type: str
    response: str
    result: str
    latency: str
    time: str
    stored: int


@dataclass(frozen=True)
class AttemptResult:
    """One learner's attempt at one activity, as Moodle stores it."""

    userid: int
    username: str
    useridnumber: str
    email: str
    course_idnumber: str
    module: str  # "course/module", from the activity's ID number
    attempt: int
    lesson_status: str
    success_status: str
    score_raw: str
    score_min: str
    score_max: str
    total_time: str
    timemodified: int
    completion_state: int
    cmid: int = 0  # the Moodle activity instance: a module in its tool course and in a job path are two
    attemptid: int = 0  # the plugin's attempt row id: with timemodified, the keyset cursor
    # What the learner did inside the attempt (plugin 1.3.0 and later; empty before, and by core)
    interactions: tuple[Interaction, ...] = ()
    location: str = ""  # cmi.core.lesson_location / cmi.location: the page the learner is on
    location_time: int = 0  # when Moodle stored that location
    suspend_data: str = ""  # the player's resume state: the pages seen
    time_started: int = 0  # x.start.time: when Moodle opened the attempt

    @property
    def key(self) -> tuple[int, int]:
        return (self.timemodified, self.attemptid)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _interactions(rows: Any) -> tuple[Interaction, ...]:
    """The plugin's interactions, in index order; a row without an id names no question."""
    found = [Interaction(index=_int(r.get("index")), id=_text(r.get("id")), type=_text(r.get("type")),
                         response=_text(r.get("response")), result=_text(r.get("result")), latency=_text(r.get("latency")),
                         time=_text(r.get("time")), stored=_int(r.get("timemodified")))
             for r in (rows if isinstance(rows, list) else []) if isinstance(r, dict) and _text(r.get("id"))]
    return tuple(sorted(found, key=lambda i: i.index))


def _from_plugin(row: dict[str, Any], namespace: Namespace) -> AttemptResult | None:
    key = namespace.module_key(_text(row.get("cmidnumber")))
    if key is None:
        return None  # not this catalogue's (an older plugin lists every catalogue's)
    return AttemptResult(
        userid=int(row["userid"]), username=_text(row.get("username")), useridnumber=_text(row.get("useridnumber")),
        email=_text(row.get("email")), course_idnumber=_text(row.get("courseidnumber")), module=key,
        attempt=int(row["attempt"]), lesson_status=_text(row.get("lessonstatus")),
        success_status=_text(row.get("successstatus")), score_raw=_text(row.get("scoreraw")),
        score_min=_text(row.get("scoremin")), score_max=_text(row.get("scoremax")),
        total_time=_text(row.get("totaltime")), timemodified=int(row["timemodified"]),
        completion_state=int(row.get("completionstate") or 0), cmid=int(row.get("cmid") or 0),
        attemptid=int(row["attemptid"]), interactions=_interactions(row.get("interactions")),
        location=_text(row.get("location")), location_time=_int(row.get("locationtime")),
        suspend_data=_text(row.get("suspenddata")), time_started=_int(row.get("timestarted")),
    )


@dataclass
class Page:
    """One answer of the plugin: its results (ours only), the key of its last row (ours or not:
    the cursor passes rows that are not ours too), whether more follow, and Moodle's clock."""

    results: list[AttemptResult]
    last: tuple[int, int] | None
    hasmore: bool
    timenow: int


def plugin_pages(client: MoodleClient, since: tuple[int, int], identity: str, namespace: Namespace,
                 *, scoped: bool = True) -> Iterator[Page]:
    """The plugin's keyset paging: each page asks for what comes after the previous page's last
    (timemodified, attempt id); no offset, so a row changed while paging is never skipped.

    ``scoped``: the plugin lists one catalogue's activities (1.2.0 and later). A named catalogue
    is asked for by id; the default catalogue's call is the one older plugins take, and rows of
    another catalogue are left out here too."""
    after = since
    scope = {"catalogue": namespace.catalogue} if scoped and namespace.catalogue else {}
    while True:
        answer = client.call(GET_RESULTS, since=after[0], afterid=after[1], perpage=PAGE_SIZE, identity=[identity], **scope)
        rows = answer.get("results") or []
        last = (int(rows[-1]["timemodified"]), int(rows[-1]["attemptid"])) if rows else None
        page = Page([r for r in (_from_plugin(row, namespace) for row in rows) if r is not None], last,
                    bool(answer.get("hasmore")) and bool(rows), int(answer.get("timenow") or 0))
        yield page
        if not page.hasmore or last is None:
            return
        after = last


def _first(values: dict[str, Any], *elements: str) -> str:
    """The first of these track elements that holds a value (SCORM 1.2's name, then 2004's)."""
    return next((str(values[e]) for e in elements if str(values.get(e, "")) != ""), "")


def _course_activities(client: MoodleClient, course: dict[str, Any],
                       namespace: Namespace) -> list[tuple[dict[str, Any], dict[str, Any], str]]:
    """(scorm, course module, module key) of the catalogue's activities in one course. An activity
    without its ID number in core's answer means the token lacks moodle/course:manageactivities."""
    activities = []
    for scorm in client.call("mod_scorm_get_scorms_by_courses", courseids=[course["id"]])["scorms"]:
        cm = client.call("core_course_get_course_module", cmid=scorm["coursemodule"])["cm"]
        if "idnumber" not in cm:
            raise MoodleError("nopermissions", "(moodle/course:manageactivities: core gives activity ID numbers only "
                              "with it)", "core_course_get_course_module")
        key = namespace.module_key(str(cm.get("idnumber", "")))
        if key is not None:
            activities.append((scorm, cm, key))
    return activities


def _learner_attempts(client: MoodleClient, user: dict[str, Any], scorm: dict[str, Any], since: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """(attempt number, its track elements) of one learner's attempts changed at ``since`` or later."""
    count = client.call("mod_scorm_get_scorm_attempt_count", scormid=scorm["id"], userid=user["id"])
    for attempt in range(1, int(count.get("attemptscount", 0)) + 1):
        try:
            tracks = client.call("mod_scorm_get_scorm_sco_tracks", scoid=scorm["launch"], userid=user["id"], attempt=attempt)
        except MoodleError:
            continue
        values = {t["element"]: t["value"] for t in tracks.get("data", {}).get("tracks", [])}
        if values and int(values.get("timemodified", 0) or 0) >= since:
            yield attempt, values


def core_results(client: MoodleClient, since: int, course_idnumbers: list[str], namespace: Namespace,
                 seen: dict[str, int] | None = None) -> Iterator[AttemptResult]:
    """The slow way, through core functions only: the attempts changed at ``since`` or later (the
    same second is read again: without an attempt id the keyset is the time alone), sorted by time.

    ``seen`` counts the activities and learners visible, so that the caller can tell "nothing yet"
    from "nothing visible to this token"."""
    seen = seen if seen is not None else {}
    found: list[AttemptResult] = []
    for idnumber in course_idnumbers:
        courses = client.call("core_course_get_courses_by_field", field="idnumber", value=idnumber)["courses"]
        activities = _course_activities(client, courses[0], namespace) if courses else []
        if not activities:
            continue
        users = client.call("core_enrol_get_enrolled_users", courseid=courses[0]["id"])
        seen["activities"] = seen.get("activities", 0) + len(activities)
        seen["learners"] = seen.get("learners", 0) + len(users)
        for user in users:
            completion = client.call("core_completion_get_activities_completion_status", courseid=courses[0]["id"],
                                     userid=user["id"])
            states = {int(s["cmid"]): int(s.get("state", 0)) for s in completion.get("statuses", [])}
            for scorm, cm, key in activities:
                for attempt, values in _learner_attempts(client, user, scorm, since):
                    found.append(AttemptResult(
                        userid=int(user["id"]), username=str(user.get("username", "")),
                        useridnumber=str(user.get("idnumber", "")), email=str(user.get("email", "")),
                        course_idnumber=idnumber, module=key, attempt=attempt,
                        lesson_status=_first(values, "cmi.core.lesson_status", "cmi.completion_status"),
                        success_status=_first(values, "cmi.success_status"),
                        score_raw=_first(values, "cmi.core.score.raw", "cmi.score.raw"),
                        score_min=_first(values, "cmi.core.score.min", "cmi.score.min"),
                        score_max=_first(values, "cmi.core.score.max", "cmi.score.max"),
                        total_time=_first(values, "cmi.core.total_time", "cmi.total_time"),
                        timemodified=int(values.get("timemodified", 0) or 0), completion_state=states.get(int(cm["id"]), 0),
                        cmid=int(cm["id"]),
                    ))
    yield from sorted(found, key=lambda r: (r.timemodified, r.userid, r.module, r.attempt))

