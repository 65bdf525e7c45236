"""Learners' SCORM results from Moodle, oldest change first.

With the companion plugin, one paged call lists the attempts changed since the cursor. Without
it, core functions give the same facts learner by learner (enrolled users, attempt counts, SCO
tracks, activity completion): much slower, but it works on a site without the plugin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.functions import GET_RESULTS
from packager.moodle.idnumbers import course_idnumber, module_key

PAGE_SIZE = 500


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


def _from_plugin(row: dict[str, Any]) -> AttemptResult | None:
    key = module_key(str(row.get("cmidnumber", "")))
    if key is None:
        return None  # not one of ours
    return AttemptResult(
        userid=int(row["userid"]), username=str(row["username"]), useridnumber=str(row.get("useridnumber", "")),
        email=str(row.get("email", "")), course_idnumber=str(row.get("courseidnumber", "")), module=key,
        attempt=int(row["attempt"]), lesson_status=str(row.get("lessonstatus", "")),
        success_status=str(row.get("successstatus", "")), score_raw=str(row.get("scoreraw", "")),
        score_min=str(row.get("scoremin", "")), score_max=str(row.get("scoremax", "")),
        total_time=str(row.get("totaltime", "")), timemodified=int(row["timemodified"]),
        completion_state=int(row.get("completionstate", 0)),
    )


def plugin_results(client: MoodleClient, since: int) -> Iterator[AttemptResult]:
    """Pages after the keyset (time of the attempt's last track, attempt id): an attempt that
    changes while paging moves to a later page instead of being skipped. The saved cursor is a
    time only, so the first page starts strictly after that second."""
    after = (since, 2**31 - 1)
    while True:
        answer = client.call(GET_RESULTS, since=after[0], afterid=after[1], perpage=PAGE_SIZE,
                             identity=["username", "idnumber", "email"])
        for row in answer["results"]:
            after = (int(row["timemodified"]), int(row["attemptid"]))
            result = _from_plugin(row)
            if result is not None:
                yield result
        if not answer.get("hasmore") or not answer["results"]:
            return


def core_results(client: MoodleClient, since: int, course_idnumbers: list[str]) -> Iterator[AttemptResult]:
    """The slow way, through core functions only; sorted like the plugin's answer."""
    found: list[AttemptResult] = []
    for idnumber in course_idnumbers:
        courses = client.call("core_course_get_courses_by_field", field="idnumber", value=idnumber)["courses"]
        if not courses:
            continue
        course = courses[0]
        scorms = client.call("mod_scorm_get_scorms_by_courses", courseids=[course["id"]])["scorms"]
        activities = []
        for scorm in scorms:
            cm = client.call("core_course_get_course_module", cmid=scorm["coursemodule"])["cm"]
            key = module_key(str(cm.get("idnumber", "")))
            if key is not None:
                activities.append((scorm, cm, key))
        if not activities:
            continue
        users = client.call("core_enrol_get_enrolled_users", courseid=course["id"])
        for user in users:
            completion = client.call("core_completion_get_activities_completion_status", courseid=course["id"],
                                     userid=user["id"])
            states = {int(s["cmid"]): int(s.get("state", 0)) for s in completion.get("statuses", [])}
            for scorm, cm, key in activities:
                count = client.call("mod_scorm_get_scorm_attempt_count", scormid=scorm["id"], userid=user["id"])
                for attempt in range(1, int(count.get("attemptscount", 0)) + 1):
                    try:
                        tracks = client.call("mod_scorm_get_scorm_sco_tracks", scoid=scorm["launch"], userid=user["id"],
                                             attempt=attempt)
                    except MoodleError:
                        continue
                    values = {t["element"]: t["value"] for t in tracks.get("data", {}).get("tracks", [])}
                    modified = int(values.get("timemodified", 0) or 0)
                    if modified <= since or not values:
                        continue

                    def value(*elements: str) -> str:
                        return next((str(values[e]) for e in elements if str(values.get(e, "")) != ""), "")

                    found.append(AttemptResult(
                        userid=int(user["id"]), username=str(user.get("username", "")),
                        useridnumber=str(user.get("idnumber", "")), email=str(user.get("email", "")),
                        course_idnumber=idnumber, module=key, attempt=attempt,
                        lesson_status=value("cmi.core.lesson_status", "cmi.completion_status"),
                        success_status=value("cmi.success_status"),
                        score_raw=value("cmi.core.score.raw", "cmi.score.raw"),
                        score_min=value("cmi.core.score.min", "cmi.score.min"),
                        score_max=value("cmi.core.score.max", "cmi.score.max"),
                        total_time=value("cmi.core.total_time", "cmi.total_time"),
                        timemodified=modified, completion_state=states.get(int(cm["id"]), 0),
                    ))
    yield from sorted(found, key=lambda r: (r.timemodified, r.userid, r.module, r.attempt))


def course_idnumbers(catalogue_course_ids: list[str]) -> list[str]:
    return [course_idnumber(course_id) for course_id in catalogue_course_ids]
