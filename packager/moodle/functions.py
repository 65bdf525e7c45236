"""The web service functions CoursePack calls, and which ones the companion plugin provides.

``coursepack doctor`` checks them against the token's service; a test checks that each is either
declared by the plugin (moodle/local_coursepack/db/services.php) or a core function recorded from
a real Moodle (shared/moodle/exchanges).
"""

from __future__ import annotations

PLUGIN = "local_coursepack"
#: The plugin version this CLI expects (moodle/local_coursepack/version.php).
PLUGIN_VERSION = 2026112800

SAVE_SCORM = "local_coursepack_save_scorm"
GET_RESULTS = "local_coursepack_get_results"

PUBLISH = (
    "core_webservice_get_site_info",
    "core_course_get_categories",
    "core_course_create_categories",
    "core_course_get_courses_by_field",
    "core_course_create_courses",
    "core_course_update_courses",
    "core_course_get_course_module",
    "mod_scorm_get_scorms_by_courses",
    SAVE_SCORM,
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


def is_plugin_function(name: str) -> bool:
    return name.startswith(PLUGIN + "_")
