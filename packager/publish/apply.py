"""Apply a plan, one step at a time, each step safe to run again.

Categories and courses the plan did not find are looked up again right before they are created, and the
plugin finds activities by ID number itself, so a run killed between two steps (or between a
call and its answer) finishes the job on the next run without creating anything twice. A package
is uploaded only when the plan found its SHA-1 different from the activity's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.functions import SAVE_SCORM
from packager.publish.plan import MoodleState, Plan, Step
from packager.publish.wanted import WantedActivity, WantedCategory, WantedCourse


@dataclass
class Outcome:
    uploads: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    #: course languages the site refused (language pack not installed)
    lang_unavailable: set[str] = field(default_factory=set)


class Publisher:
    def __init__(self, client: MoodleClient, lang_unavailable: set[str] | None = None) -> None:
        self.client = client
        self.state = MoodleState(client)
        self.ids: dict[str, int] = {}
        self.outcome = Outcome(lang_unavailable=set(lang_unavailable or ()))
        #: one upload per package: a module used by several courses reuses its draft area
        self._drafts: dict[str, int] = {}

    def apply(self, plan: Plan, on_step: Callable[[Step], None] | None = None) -> Outcome:
        for step in plan.steps:
            if step.kind == "category":
                self._category(step.wanted, step.current)  # type: ignore[arg-type]
            elif step.kind == "course":
                self._course(step.wanted, step.current)  # type: ignore[arg-type]
            elif step.action != "unchanged":
                self._activity(step.wanted, step.upload)  # type: ignore[arg-type]
            if step.action != "unchanged":
                self.outcome.actions[step.action] = self.outcome.actions.get(step.action, 0) + 1
            if on_step is not None:
                on_step(step)
        return self.outcome

    def _category(self, wanted: WantedCategory, current: dict | None) -> None:
        parent = self.ids[wanted.parent] if wanted.parent else 0
        if current is None:  # looked up again: another run may have created it since the plan
            current = self.state.category(wanted.idnumber)
        if current is None:
            created = self.client.call("core_course_create_categories", categories=[
                {"name": wanted.name, "parent": parent, "idnumber": wanted.idnumber}])
            self.ids[wanted.idnumber] = int(created[0]["id"])
            return
        self.ids[wanted.idnumber] = int(current["id"])

    def _course(self, wanted: WantedCourse, current: dict | None) -> None:
        fields = {**wanted.fields(), "categoryid": self.ids[wanted.category]}
        if wanted.lang in self.outcome.lang_unavailable:
            fields.pop("lang")
        if current is None:  # looked up again: another run may have created it since the plan
            current = self.state.course(wanted.idnumber)
        if current is None:
            created = self._with_lang_fallback("core_course_create_courses", fields, create=True)
            self.ids[wanted.idnumber] = int(created[0]["id"])
            return
        self.ids[wanted.idnumber] = int(current["id"])
        changed = {k: v for k, v in fields.items() if str(current.get(k, "")) != str(v)}
        if changed:
            self._with_lang_fallback("core_course_update_courses", {"id": current["id"], **changed}, create=False)

    def _with_lang_fallback(self, function: str, fields: dict, *, create: bool) -> object:
        """A site without the course's language pack refuses ``lang``: publish without it."""
        call = self.client.call if create else self.client.change
        try:
            return call(function, courses=[fields])
        except MoodleError as exc:
            if exc.errorcode != "errorinvalidparam" or "lang" not in fields or "lang" not in exc.message:
                raise
            self.outcome.lang_unavailable.add(str(fields["lang"]))
            rest = {k: v for k, v in fields.items() if k != "lang"}
            if not create and set(rest) == {"id"}:
                return None
            return call(function, courses=[rest])

    def _activity(self, wanted: WantedActivity, upload: bool) -> None:
        """The plugin finds the activity by ID number itself: calling it again is harmless."""
        draft = 0
        if upload:
            draft = self._drafts.get(wanted.sha1, 0)
            if not draft:
                draft = self.client.upload(wanted.package.name, wanted.package.read_bytes())
                self._drafts[wanted.sha1] = draft
                self.outcome.uploads += 1
        self.client.call(SAVE_SCORM, courseid=self.ids[wanted.course], section=wanted.section,
                         idnumber=wanted.idnumber, name=wanted.name, intro=wanted.intro, draftitemid=draft,
                         settings=wanted.settings)
