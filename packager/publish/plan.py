"""Compare what the catalogue wants with what Moodle has, and say what must change.

Reading only: the plan is what ``--dry-run`` prints, and what ``publish`` then applies. Each object
is found by its ID number, so a second run plans nothing, and a run that was killed half-way
plans exactly what is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from packager.moodle.client import MoodleClient
from packager.moodle.idnumbers import PREFIX
from packager.publish.wanted import Wanted, WantedActivity, WantedCategory, WantedCourse

Action = Literal["create", "update", "unchanged"]
Kind = Literal["category", "course", "activity"]


@dataclass
class Step:
    kind: Kind
    idnumber: str
    label: str
    action: Action
    changes: tuple[str, ...] = ()
    upload: bool = False
    wanted: WantedCategory | WantedCourse | WantedActivity | None = field(default=None, repr=False)
    #: the Moodle record the plan read (categories and courses), None when it is to be created
    current: dict[str, Any] | None = field(default=None, repr=False)


@dataclass
class Plan:
    steps: list[Step]

    def count(self, kind: Kind, action: Action) -> int:
        return sum(1 for s in self.steps if s.kind == kind and s.action == action)

    @property
    def changes(self) -> list[Step]:
        return [s for s in self.steps if s.action != "unchanged"]


class MoodleState:
    """What Moodle has now, read through core web services only."""

    def __init__(self, client: MoodleClient) -> None:
        self.client = client

    def category(self, idnumber: str) -> dict[str, Any] | None:
        found = self.client.call("core_course_get_categories", criteria=[{"key": "idnumber", "value": idnumber}],
                                 addsubcategories=0)
        return found[0] if found else None

    def course(self, idnumber: str) -> dict[str, Any] | None:
        found = self.client.call("core_course_get_courses_by_field", field="idnumber", value=idnumber)
        return found["courses"][0] if found.get("courses") else None

    def activities(self, course_ids: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
        """SCORM activities by (course id, activity ID number); get_scorms_by_courses has no
        ID number, so each activity's course module is read too."""
        if not course_ids:
            return {}
        scorms = self.client.call("mod_scorm_get_scorms_by_courses", courseids=course_ids)["scorms"]
        found = {}
        for scorm in scorms:
            cm = self.client.call("core_course_get_course_module", cmid=scorm["coursemodule"])["cm"]
            if cm.get("idnumber"):
                found[(int(scorm["course"]), cm["idnumber"])] = {**scorm, "cm": cm}
        return found


def _course_changes(current: dict[str, Any], wanted: WantedCourse, category_id: int | None,
                    lang_unavailable: set[str]) -> tuple[str, ...]:
    changes = [name for name in ("fullname", "shortname", "summary", "format")
               if str(current.get(name, "")) != str(wanted.fields()[name])]
    if int(current.get("enablecompletion") or 0) != 1:
        changes.append("enablecompletion")
    if category_id is None or int(current.get("categoryid") or 0) != category_id:
        changes.append("categoryid")
    if wanted.lang not in lang_unavailable and current.get("lang", "") != wanted.lang:
        changes.append("lang")
    return tuple(changes)


def _activity_changes(current: dict[str, Any], wanted: WantedActivity) -> tuple[str, ...]:
    changes = []
    if current.get("name") != wanted.name:
        changes.append("name")
    if (current.get("intro") or "") != wanted.intro:
        changes.append("intro")
    for key, value in wanted.settings.items():
        if key in current and int(current[key] or 0) != value:  # manager-only fields may be absent
            changes.append(key)
    if current.get("sha1hash") != wanted.sha1:
        changes.append("package")
    return tuple(changes)


def make_plan(client: MoodleClient, wanted: Wanted, lang_unavailable: set[str] = frozenset()) -> Plan:
    state = MoodleState(client)
    steps: list[Step] = []
    category_ids: dict[str, int | None] = {}
    for category in wanted.categories:
        current = state.category(category.idnumber)
        category_ids[category.idnumber] = int(current["id"]) if current else None
        # core has no category update in the service: a category renamed in Moodle stays renamed
        action: Action = "create" if current is None else "unchanged"
        steps.append(Step("category", category.idnumber, category.name, action, wanted=category, current=current))

    course_ids: dict[str, int] = {}
    for course in wanted.courses:
        current = state.course(course.idnumber)
        if current is None:
            steps.append(Step("course", course.idnumber, course.fullname, "create", wanted=course))
            continue
        course_ids[course.idnumber] = int(current["id"])
        changes = _course_changes(current, course, category_ids.get(course.category), lang_unavailable)
        steps.append(Step("course", course.idnumber, course.fullname, "update" if changes else "unchanged", changes,
                          wanted=course, current=current))

    existing = state.activities(sorted(course_ids.values()))
    for activity in wanted.activities:
        label = f"{activity.name} ({activity.course.removeprefix(PREFIX)})"
        course_id = course_ids.get(activity.course)
        current = existing.get((course_id, activity.idnumber)) if course_id else None
        if current is None:
            steps.append(Step("activity", activity.idnumber, label, "create", upload=True, wanted=activity))
            continue
        changes = _activity_changes(current, activity)
        steps.append(Step("activity", activity.idnumber, label, "update" if changes else "unchanged", changes,
                          upload="package" in changes, wanted=activity))
    return Plan(steps)

