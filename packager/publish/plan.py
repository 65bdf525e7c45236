"""Compare what the catalogue wants with what Moodle stores, and say what must change.

Reading only: the plan is what ``--dry-run`` prints, and what ``publish`` then applies. Moodle's
side comes from one call to the plugin (``local_coursepack_get_state``), which returns the
*stored* values: core functions give names through ``format_string()`` and summaries through
``format_text()``, so a text with an apostrophe or an ampersand never compared equal and every
run updated it. Each object is found by its ID number, so a second run plans nothing, a run
that was killed half-way plans exactly what is left, and a field we own that someone edited by
hand in Moodle is planned back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from packager.moodle.client import MoodleClient
from packager.moodle.functions import GET_STATE
from packager.moodle.idnumbers import DEFAULT, Namespace
from packager.publish.wanted import Wanted, WantedActivity, WantedCategory, WantedCourse

Action = Literal["create", "update", "unchanged"]
Kind = Literal["category", "course", "activity", "layout", "enrolment"]
KINDS: tuple[Kind, ...] = ("category", "course", "activity", "layout", "enrolment")


@dataclass
class Step:
    kind: Kind
    idnumber: str
    label: str
    action: Action
    changes: tuple[str, ...] = ()
    upload: bool = False
    wanted: WantedCategory | WantedCourse | WantedActivity | None = field(default=None, repr=False)
    #: the stored Moodle record the plan read, None when it is to be created
    current: dict[str, Any] | None = field(default=None, repr=False)


@dataclass
class Plan:
    steps: list[Step]
    #: activities Moodle holds twice (see Duplicate): publishing stops before any change
    duplicates: list[Duplicate] = field(default_factory=list)

    def count(self, kind: Kind, action: Action) -> int:
        return sum(1 for s in self.steps if s.kind == kind and s.action == action)

    @property
    def changes(self) -> list[Step]:
        return [s for s in self.steps if s.action != "unchanged"]


@dataclass(frozen=True)
class Duplicate:
    """Several activities of one course with one ID number: left by a version without the publish
    lock (two runs at once) or copied by hand. Learners see both; a plan cannot tell which to update."""

    course: dict[str, Any]
    idnumber: str
    #: course module ids, oldest first: the first is the one to keep
    cmids: tuple[int, ...]


@dataclass
class SiteState:
    """What Moodle stores of one catalogue's objects, by ID number."""

    categories: dict[str, dict[str, Any]]
    courses: dict[str, dict[str, Any]]
    #: (course ID number, activity ID number) → activity (the oldest, when there are duplicates)
    activities: dict[tuple[str, str], dict[str, Any]]
    duplicates: list[Duplicate] = field(default_factory=list)

    @classmethod
    def read(cls, client: MoodleClient, namespace: Namespace = DEFAULT) -> SiteState:
        """The plugin lists the catalogue's own objects only (its namespace): another catalogue's
        are neither compared nor touched."""
        state = client.call(GET_STATE, **({"catalogue": namespace.catalogue} if namespace.catalogue else {}))
        courses = {c["idnumber"]: c for c in state["courses"] if namespace.owns(c["idnumber"])}
        by_id = {c["id"]: c for c in courses.values()}
        found: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for activity in sorted(state["activities"], key=lambda a: a["cmid"]):
            if activity["courseid"] in by_id and namespace.owns(activity["idnumber"]):
                found.setdefault((by_id[activity["courseid"]]["idnumber"], activity["idnumber"]), []).append(activity)
        duplicates = [Duplicate(by_id[same[0]["courseid"]], idnumber, tuple(a["cmid"] for a in same))
                      for (_, idnumber), same in found.items() if len(same) > 1]
        categories = {c["idnumber"]: c for c in state["categories"] if namespace.owns(c["idnumber"])}
        return cls(categories, courses, {key: same[0] for key, same in found.items()}, duplicates)


def _category_changes(current: dict[str, Any], wanted: WantedCategory, parent_id: int | None) -> tuple[str, ...]:
    changes = ["name"] if current["name"] != wanted.name else []
    if parent_id is None or int(current["parent"]) != parent_id:
        changes.append("parent")
    return tuple(changes)


def _course_changes(current: dict[str, Any], wanted: WantedCourse, category_id: int | None,
                    languages: frozenset[str]) -> tuple[str, ...]:
    owned = wanted.fields()
    names = ["fullname", "shortname", "summary", "summaryformat", "format", "enablecompletion"]
    names += ["lang"] if wanted.lang in languages else []
    changes = [name for name in names if str(current.get(name, "")) != str(owned[name])]
    if category_id is None or int(current.get("categoryid") or 0) != category_id:
        changes.append("categoryid")
    return tuple(changes)


def _activity_changes(current: dict[str, Any], wanted: WantedActivity) -> tuple[str, ...]:
    changes = [name for name in ("name", "intro") if current.get(name) != getattr(wanted, name)]
    stored = {**current.get("settings", {}), "completionstatusrequired": current.get("completionstatusrequired"),
              "completionscorerequired": current.get("completionscorerequired")}
    changes += [key for key, value in wanted.settings.items() if int(stored.get(key) or 0) != value]
    if current.get("sha1hash") != wanted.sha1:
        changes.append("package")
    return tuple(changes)


def layout_changes(course: dict[str, Any], wanted: WantedCourse, activities: dict[tuple[str, str], dict[str, Any]]
                   ) -> tuple[str, ...]:
    """What ``local_coursepack_arrange_course`` would change: module i alone and visible in
    section i under its name, removed modules hidden in the last section, no empty section
    beyond. A course that gets a new activity in this run is always arranged."""
    sections = {s["section"]: s for s in course["sections"]}
    ours = {idnumber: a for (course_id, idnumber), a in activities.items() if course_id == wanted.idnumber}
    changes: list[str] = []
    for number, (idnumber, name) in enumerate(wanted.sections, start=1):
        section, activity = sections.get(number), ours.get(idnumber)
        if activity is None:
            return ("sections",)
        if section is None or section["name"] != name or not section["visible"] or activity["section"] != number or not activity["visible"]:
            changes.append(f"section {number}")
    wanted_ids = {idnumber for idnumber, _ in wanted.sections}
    retired = [a for idnumber, a in ours.items() if idnumber not in wanted_ids]
    last = len(wanted.sections) + (1 if retired else 0)
    if retired:
        archive = sections.get(last)
        if (archive is None or archive["name"] != wanted.retired_section or archive["visible"]
                or any(a["section"] != last or a["visible"] for a in retired)):
            changes.append("retired")
    if any(number > last and not section["cmids"] for number, section in sections.items()):
        changes.append("empty sections")
    if any(number not in sections for number in range(1, last + 1)):
        changes.append("numbering")
    return tuple(dict.fromkeys(changes))


def _enrolment_changes(course: dict[str, Any] | None, wanted: WantedCourse) -> tuple[str, ...]:
    if wanted.enrol_cohort is None:
        return ()
    instances = (course or {}).get("enrolment") or []
    first = instances[0] if instances else None
    if first is None:
        return ("self",)
    changes = [] if first["enabled"] else ["enabled"]
    if first["cohort"] != wanted.enrol_cohort:
        changes.append("cohort")
    return tuple(changes)


def make_plan(client: MoodleClient, wanted: Wanted, *, languages: frozenset[str], state: SiteState | None = None) -> Plan:
    """``languages``: the course languages this site lets us force (pack installed and
    moodle/course:setforcedlanguage granted); for any other, ``lang`` is neither sent nor compared."""
    state = state or SiteState.read(client, wanted.namespace)
    steps: list[Step] = []
    category_ids: dict[str, int | None] = {}
    for category in wanted.categories:
        current = state.categories.get(category.idnumber)
        category_ids[category.idnumber] = int(current["id"]) if current else None
        if current is None:
            steps.append(Step("category", category.idnumber, category.name, "create", wanted=category))
            continue
        parent = category_ids.get(category.parent) if category.parent else 0
        changes = _category_changes(current, category, parent)
        steps.append(Step("category", category.idnumber, category.name, "update" if changes else "unchanged", changes,
                          wanted=category, current=current))

    created_activity: set[str] = set()
    course_steps: list[Step] = []
    for course in wanted.courses:
        current = state.courses.get(course.idnumber)
        if current is None:
            course_steps.append(Step("course", course.idnumber, course.fullname, "create", wanted=course))
            continue
        changes = _course_changes(current, course, category_ids.get(course.category), languages)
        course_steps.append(Step("course", course.idnumber, course.fullname, "update" if changes else "unchanged",
                                 changes, wanted=course, current=current))
    steps += course_steps

    for activity in wanted.activities:
        label = f"{activity.name} ({wanted.namespace.local_id(activity.course)})"
        current = state.activities.get((activity.course, activity.idnumber))
        if current is None:
            created_activity.add(activity.course)
            steps.append(Step("activity", activity.idnumber, label, "create", upload=True, wanted=activity))
            continue
        changes = _activity_changes(current, activity)
        steps.append(Step("activity", activity.idnumber, label, "update" if changes else "unchanged", changes,
                          upload="package" in changes, wanted=activity, current=current))

    for course in wanted.courses:
        current = state.courses.get(course.idnumber)
        if current is None or course.idnumber in created_activity:
            changes = ("sections",)
        else:
            changes = layout_changes(current, course, state.activities)
        steps.append(Step("layout", course.idnumber, course.fullname, "update" if changes else "unchanged", changes,
                          wanted=course))
    for course in wanted.courses:
        if course.enrol_cohort is None:
            continue
        changes = _enrolment_changes(state.courses.get(course.idnumber), course)
        steps.append(Step("enrolment", course.idnumber, course.fullname, "update" if changes else "unchanged", changes,
                          wanted=course))
    return Plan(steps, state.duplicates)
