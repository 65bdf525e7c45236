"""The web service functions CoursePack calls, which ones the companion plugin provides, and the
capabilities the token's user needs.

``coursepack doctor`` checks the functions against the token's service and the capabilities
through the plugin; a test checks that each function is either declared by the plugin
(moodle/local_coursepack/db/services.php) or a core function, and that the plugin's README
lists every capability.
"""

from __future__ import annotations

from typing import Any

PLUGIN = "local_coursepack"

SAVE_SCORM = "local_coursepack_save_scorm"
GET_RESULTS = "local_coursepack_get_results"
GET_STATUS = "local_coursepack_get_status"
GET_STATE = "local_coursepack_get_state"
ARRANGE_COURSE = "local_coursepack_arrange_course"
SAVE_ENROLMENT = "local_coursepack_save_enrolment"
ACQUIRE_LOCK = "local_coursepack_acquire_publish_lock"
RELEASE_LOCK = "local_coursepack_release_publish_lock"

#: Functions that change nothing twice when repeated (a lost answer): the transport may retry them.
REPEATABLE = frozenset({"core_webservice_get_site_info", ACQUIRE_LOCK, RELEASE_LOCK})

PUBLISH = (
    "core_webservice_get_site_info",
    "core_course_create_categories",
    "core_course_update_categories",
    "core_course_create_courses",
    "core_course_update_courses",
    GET_STATUS,
    GET_STATE,
    SAVE_SCORM,
    ARRANGE_COURSE,
    SAVE_ENROLMENT,
    ACQUIRE_LOCK,
    RELEASE_LOCK,
)

SYNC = (
    GET_RESULTS,
    "core_enrol_get_enrolled_users",
    "core_completion_get_activities_completion_status",
    "mod_scorm_get_scorm_attempt_count",
    "mod_scorm_get_scorm_scoes",
    "mod_scorm_get_scorm_sco_tracks",
    "gradereport_user_get_grade_items",
)

#: What publishing needs, at system level: the categories do not exist before the first publish.
PUBLISH_CAPABILITIES = (
    "webservice/rest:use",
    "moodle/category:manage",
    "moodle/course:create",
    "moodle/course:update",
    "moodle/course:view",
    # core_course_update_courses checks one more per field it changes
    "moodle/course:changefullname",
    "moodle/course:changeshortname",
    "moodle/course:changeidnumber",
    "moodle/course:changesummary",
    "moodle/course:changecategory",
    "moodle/course:manageactivities",
    "mod/scorm:addinstance",
    "moodle/course:activityvisibility",
    "moodle/course:sectionvisibility",
    "moodle/course:movesections",
)
#: Forcing the course language: without it Moodle silently drops ``lang`` on creation.
LANGUAGE_CAPABILITY = "moodle/course:setforcedlanguage"
#: Self-enrolment (catalogue setting ``moodle.enrolment.method: self``).
ENROLMENT_CAPABILITIES = ("moodle/course:enrolconfig", "enrol/self:config")
#: Reading learners' results through the plugin.
SYNC_CAPABILITIES = ("mod/scorm:viewreport",)

#: The report's contacts of the agents to follow up (their name and e-mail as Moodle has them).
USERS_BY_FIELD = "core_user_get_users_by_field"
#: What core_user_get_users_by_field needs to give them (user/lib.php, user_get_user_details on
#: the system profile): a user at all, moodle/user:viewdetails; the username or ID number it is
#: searched by (else Moodle drops the user), moodle/user:viewalldetails; the e-mail address,
#: moodle/site:viewuseridentity (with ``email`` among the site's identity fields, the default).
CONTACT_CAPABILITIES = ("moodle/user:viewdetails", "moodle/user:viewalldetails", "moodle/site:viewuseridentity")


def is_plugin_function(name: str) -> bool:
    return name.startswith(PLUGIN + "_")


def installed_plugin_version(site: dict[str, Any]) -> str | None:
    """The plugin's version as the token's service lists it (site info), None when absent."""
    return next((str(f.get("version", "")) for f in site.get("functions", []) if f["name"] == SAVE_SCORM), None)
