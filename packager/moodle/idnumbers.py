"""The ID numbers CoursePack gives Moodle objects, derived from the YAML ids only, so that a
rename or a re-run finds the same objects: ``coursepack:root``, ``coursepack:messagerie``,
``coursepack:messagerie/lire-ses-messages``. Publishing writes them; syncing reads them back."""

from __future__ import annotations

PREFIX = "coursepack:"
ROOT_CATEGORY = PREFIX + "root"
TOOLS_CATEGORY = PREFIX + "tools"
JOBS_CATEGORY = PREFIX + "jobs"


def course_idnumber(course_id: str) -> str:
    return PREFIX + course_id


def activity_idnumber(module_key: str) -> str:
    return PREFIX + module_key


def module_key(idnumber: str) -> str | None:
    """``messagerie/lire-ses-messages`` from an activity ID number; None if not ours."""
    return idnumber[len(PREFIX):] if idnumber.startswith(PREFIX) and "/" in idnumber else None


#: Column sizes of a Moodle 5.2 database (lib/db/install.xml): a longer value fails with
#: ``dmlwriteexception`` half-way through a publish, so the validator checks them first.
IDNUMBER_MAX = 100  # course_modules.idnumber, course.idnumber, course_categories.idnumber
SHORTNAME_MAX = 255  # course.shortname
FULLNAME_MAX = 254  # course.fullname
NAME_MAX = 255  # course_sections.name, scorm.name, course_categories.name
