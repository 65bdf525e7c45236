"""Apply a plan, one step at a time, each step safe to run again.

Every object is found by its ID number (the plugin finds activities itself), and a run that was
killed between two steps, or between a call and its answer, leaves Moodle in a state the next
plan reads as it is: the next run finishes the job without creating anything twice. A package
is uploaded only when the plan found its SHA-1 different from the activity's, and once even
when several courses use it.

Another run may have created an object between our plan and our call (a version of CoursePack
without the publish lease, or a category made by hand with our ID number): Moodle's unique ID
numbers then refuse the creation, and the object found by its ID number is taken as ours and
updated. Refusals that changed nothing and may not happen again (a file-pool write collision, the
course's lock held by another request) are tried again a few times.
"""


from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.functions import ARRANGE_COURSE, SAVE_ENROLMENT, SAVE_SCORM
from packager.publish.plan import Plan, Step
from packager.publish.wanted import WantedActivity, WantedCategory, WantedCourse

#: Moodle's errorcodes for a write that changed nothing and may succeed a moment later.
TRANSIENT = frozenset({"storedfilecannotcreatefile", "lockbusy"})
ATTEMPTS = 3


@dataclass
class Outcome:
    uploads: int = 0
    actions: dict[str, int] = field(default_factory=dict)


class Publisher:
    def __init__(self, client: MoodleClient, *, languages: frozenset[str],
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self._sleep = sleep
        #: the course languages this site lets us force
        self.languages = languages
        self.ids: dict[str, int] = {}
        self.outcome = Outcome()
        #: one upload per package: a module used by several courses reuses its draft area
        self._drafts: dict[str, int] = {}

    def apply(self, plan: Plan, on_step: Callable[[Step], None] | None = None) -> Outcome:
        for step in plan.steps:
            if step.current is not None and step.kind in ("category", "course"):
                self.ids[step.idnumber] = int(step.current["id"])
            if step.action != "unchanged":
                getattr(self, "_" + step.kind)(step)
                self.outcome.actions[step.action] = self.outcome.actions.get(step.action, 0) + 1
            if on_step is not None:
                on_step(step)
        return self.outcome

    def _again(self, action: Callable[[], Any]) -> Any:
        """``action``, tried again when Moodle's refusal is transient (TRANSIENT)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return action()
            except MoodleError as exc:
                if exc.errorcode not in TRANSIENT or attempt == ATTEMPTS:
                    raise
                self._sleep(0.5 * attempt)

    def _category(self, step: Step) -> None:
        wanted: WantedCategory = step.wanted  # type: ignore[assignment]
        fields = {"name": wanted.name, "parent": self.ids[wanted.parent] if wanted.parent else 0}
        current_id = step.current["id"] if step.current is not None else None
        if current_id is None:
            try:
                created = self.client.call("core_course_create_categories", categories=[{**fields, "idnumber": wanted.idnumber}])
                self.ids[wanted.idnumber] = int(created[0]["id"])
                return
            except MoodleError as exc:
                if exc.errorcode != "categoryidnumbertaken":
                    raise
                found = self.client.call("core_course_get_categories", criteria=[{"key": "idnumber", "value": wanted.idnumber}],
                                         addsubcategories=False)
                if not found:
                    raise
                current_id = int(found[0]["id"])  # created meanwhile: ours, set as wanted below
                self.ids[wanted.idnumber] = current_id
        self.client.call("core_course_update_categories", categories=[{"id": current_id, **fields}])

    def _course(self, step: Step) -> None:
        wanted: WantedCourse = step.wanted  # type: ignore[assignment]
        fields = {**wanted.fields(), "categoryid": self.ids[wanted.category]}
        if wanted.lang not in self.languages:
            fields.pop("lang")
        if step.current is None:
            # as many sections as modules: none left over named "New section"
            try:
                created = self.client.call("core_course_create_courses", courses=[{**fields, "numsections": len(wanted.sections)}])
                self.ids[wanted.idnumber] = int(created[0]["id"])  # as recorded (exchange 79)
                return
            except MoodleError as exc:
                if exc.errorcode not in ("shortnametaken", "courseidnumbertaken"):
                    raise
                found = self.client.call("core_course_get_courses_by_field", field="idnumber", value=wanted.idnumber)["courses"]
                if not found:  # the short name is another course's: a real conflict, explained as such
                    raise
                self.ids[wanted.idnumber] = int(found[0]["id"])  # created meanwhile: ours, set as wanted
                self.client.change("core_course_update_courses", courses=[{"id": found[0]["id"], **fields}])
                return
        changed = {k: v for k, v in fields.items() if k in step.changes}
        self.client.change("core_course_update_courses", courses=[{"id": step.current["id"], **changed}])

    def _activity(self, step: Step) -> None:
        """The plugin finds the activity by ID number itself: calling it again is harmless."""
        wanted: WantedActivity = step.wanted  # type: ignore[assignment]
        draft = 0
        if step.upload:
            draft = self._drafts.get(wanted.sha1, 0)
            if not draft:
                content = wanted.package.read_bytes()
                draft = self._again(lambda: self.client.upload(wanted.package.name, content))
                self._drafts[wanted.sha1] = draft
                self.outcome.uploads += 1
        self._again(lambda: self.client.call(SAVE_SCORM, courseid=self.ids[wanted.course], section=wanted.section,
                                             idnumber=wanted.idnumber, name=wanted.name, intro=wanted.intro,
                                             draftitemid=draft, settings=wanted.settings))

    def _layout(self, step: Step) -> None:
        wanted: WantedCourse = step.wanted  # type: ignore[assignment]
        self.client.call(ARRANGE_COURSE, courseid=self.ids[wanted.idnumber],
                         sections=[{"idnumber": idnumber, "name": name} for idnumber, name in wanted.sections],
                         retiredname=wanted.retired_section)

    def _enrolment(self, step: Step) -> None:
        wanted: WantedCourse = step.wanted  # type: ignore[assignment]
        self.client.call(SAVE_ENROLMENT, courseid=self.ids[wanted.idnumber], cohort=wanted.enrol_cohort or "")
