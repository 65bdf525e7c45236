"""Where each course is in Moodle, as ``publish`` last saw it: ``moodle-courses.json`` in the
output folder, so that the flyer (and a mediator) can point agents at the right page without
asking Moodle again. A missing or damaged file reads as "not published"."""

from __future__ import annotations

from pathlib import Path

from packager.utils.statefile import read_state, write_state

COURSE_URLS = "moodle-courses.json"


def course_url(moodle_url: str, course_id: int) -> str:
    return f"{moodle_url.rstrip('/')}/course/view.php?id={course_id}"


def write_course_urls(folder: Path, moodle_url: str, courses: dict[str, int]) -> None:
    """``courses``: catalogue course id (tool course or job path) → Moodle course id."""
    write_state(folder / COURSE_URLS, {"moodle": moodle_url.rstrip("/"),
                                       "courses": {key: course_url(moodle_url, value) for key, value in sorted(courses.items())}})


def read_course_urls(folder: Path) -> dict[str, str]:
    """Catalogue course id → its Moodle course page, or {} when nothing was published from here."""
    courses = read_state(folder / COURSE_URLS).get("courses")
    if not isinstance(courses, dict):
        return {}
    return {key: value for key, value in courses.items()
            if isinstance(key, str) and isinstance(value, str) and value.startswith(("https://", "http://"))}
