"""Whether sync can read results on a site without the plugin's ``get_results``: core functions
need capabilities that ``core_webservice_get_site_info`` does not list, so each is probed."""

from __future__ import annotations

from typing import Any

from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.functions import GET_RESULTS
from packager.utils.checks import Check

_CORE = {
    "fr": {"name": "Sync sans plugin : {capability}", "none": "non vérifiable ({why})", "no_course": "aucun cours du catalogue publié",
           "no_user": "aucun apprenant inscrit visible", "fix": "Donnez {capability} au compte du jeton (contexte système ou cours ; voir README, « Sync without the plugin »)."},
    "en": {"name": "Sync without the plugin: {capability}", "none": "not checkable ({why})", "no_course": "no catalogue course published",
           "no_user": "no enrolled learner visible", "fix": "Give {capability} to the token's account (system or course context; see the README, \"Sync without the plugin\")."},
}


def core_sync_checks(client: MoodleClient, course_idnumbers: list[str], lang: str = "fr") -> list[Check]:
    """Without the plugin's get_results, sync reads through core functions: probe, on the first
    published catalogue course, each capability they need (core_webservice_get_site_info does not
    list capabilities). Nothing when the plugin's function is there."""
    t = _CORE[lang]
    site: Any = client.call("core_webservice_get_site_info")
    if any(f.get("name") == GET_RESULTS for f in site.get("functions", [])):
        return []
    courses = [found[0] for idnumber in course_idnumbers
               for found in [client.call("core_course_get_courses_by_field", field="idnumber", value=idnumber)["courses"]]
               if found]
    if not courses:
        return [Check(t["name"].format(capability="…"), None, t["none"].format(why=t["no_course"]))]
    checks: list[Check] = []

    def check(capability: str, ok: bool | None, why: str = "") -> None:
        detail = t["none"].format(why=why) if ok is None else ""
        checks.append(Check(t["name"].format(capability=capability), ok, detail,
                            "" if ok else t["fix"].format(capability=capability)))

    def probe(function: str, **params: Any) -> Any:
        try:
            return client.call(function, **params)
        except MoodleError:
            return None

    users: list[Any] | None = []
    course = courses[0]
    for course in courses:  # the first course with a learner visible, if any
        users = probe("core_enrol_get_enrolled_users", courseid=course["id"])
        if users is None or users:
            break
    scorms = (probe("mod_scorm_get_scorms_by_courses", courseids=[course["id"]]) or {}).get("scorms", [])
    cm = (probe("core_course_get_course_module", cmid=scorms[0]["coursemodule"]) or {}).get("cm") if scorms else None
    check("moodle/course:manageactivities", None if cm is None else "idnumber" in cm, t["no_course"])
    check("moodle/course:viewparticipants", users is not None)
    if not users:
        check("moodle/user:viewdetails", None, t["no_user"])
        return checks
    check("moodle/user:viewdetails", True)
    check("moodle/user:viewalldetails", bool(users[0].get("username")))
    if scorms:
        count = probe("mod_scorm_get_scorm_attempt_count", scormid=scorms[0]["id"], userid=users[0]["id"])
        check("mod/scorm:viewreport", count is not None)
    status = probe("core_completion_get_activities_completion_status", courseid=course["id"], userid=users[0]["id"])
    check("report/progress:view", status is not None)
    return checks
