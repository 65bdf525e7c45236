"""Apply a plan, one step at a time, each step safe to run again.

Every object is found by its ID number (the plugin finds activities itself), and a run that was
killed between two steps, or between a call and its answer, leaves Moodle in a state the next
plan reads as it is: the next run finishes the job without creating anything twice. A package
is uploaded only when the plan found its SHA-1 different from the activity's, and once even
when several courses use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from packager.moodle.client import MoodleClient
from packager.moodle.functions import ARRANGE_COURSE, SAVE_ENROLMENT, SAVE_SCORM
from packager.publish.plan import Plan, Step
from packager.publish.wanted import WantedActivity, WantedCategory, WantedCourse


@dataclass
class Outcome:
    uploads: int = 0
    actions: dict[str, int] = field(default_factory=dict)


class Publisher:
    def __init__(self, client: MoodleClient, *, languages: frozenset[str]) -> None:
        self.client = client
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

    def _category(self, step: Step) -> None:
        wanted: WantedCategory = step.wanted  # type: ignore[assignment]
        fields = {"name": wanted.name, "parent": self.ids[wanted.parent] if wanted.parent else 0}
        if step.current is None:
            created = self.client.call("core_course_create_categories", categories=[{**fields, "idnumber": wanted.idnumber}])
            self.ids[wanted.idnumber] = int(created[0]["id"])
        else:
            self.client.call("core_course_update_categories", categories=[{"id": step.current["id"], **fields}])

    def _course(self, step: Step) -> None:
        wanted: WantedCourse = step.wanted  # type: ignore[assignment]
        fields = {**wanted.fields(), "categoryid": self.ids[wanted.category]}
        if wanted.lang not in self.languages:
            fields.pop("lang")
        if step.current is None:
            # as many sections as modules: none left over named "New section"
            fields["numsections"] = len(wanted.sections)  # as recorded (exchange 79)
            created = self.client.call("core_course_create_courses", courses=[fields])
            self.ids[wanted.idnumber] = int(created[0]["id"])
        else:
            changed = {k: v for k, v in fields.items() if k in step.changes}
            self.client.change("core_course_update_courses", courses=[{"id": step.current["id"], **changed}])

    def _activity(self, step: Step) -> None:
        """The plugin finds the activity by ID number itself: calling it again is harmless."""
        wanted: WantedActivity = step.wanted  # type: ignore[assignment]
        draft = 0
        if step.upload:
            draft = self._drafts.get(wanted.sha1, 0)
            if not draft:
                draft = self.client.upload(wanted.package.name, wanted.package.read_bytes())
                self._drafts[wanted.sha1] = draft
                self.outcome.uploads += 1
        self.client.call(SAVE_SCORM, courseid=self.ids[wanted.course], section=wanted.section,
                         idnumber=wanted.idnumber, name=wanted.name, intro=wanted.intro, draftitemid=draft,
                         settings=wanted.settings)

    def _layout(self, step: Step) -> None:
        wanted: WantedCourse = step.wanted  # type: ignore[assignment]
        self.client.call(ARRANGE_COURSE, courseid=self.ids[wanted.idnumber],
                         sections=[{"idnumber": idnumber, "name": name} for idnumber, name in wanted.sections],
                         retiredname=wanted.retired_section)

    def _enrolment(self, step: Step) -> None:
        wanted: WantedCourse = step.wanted  # type: ignore[assignment]
        self.client.call(SAVE_ENROLMENT, courseid=self.ids[wanted.idnumber], cohort=wanted.enrol_cohort or "")
