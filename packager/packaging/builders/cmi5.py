"""cmi5 (cmi5.xml): one AU per module; the player follows the cmi5 launch sequence."""

from __future__ import annotations

from typing import Any

from packager.packaging.builders.base import Builder
from packager.model.catalogue import ModuleUnit
from packager.model.iri import cmi5_course_iri

#: The module's completion rule as cmi5 says when the LMS may move the learner on.
MOVE_ON = {"pages": "Completed", "quiz": "Passed", "both": "CompletedAndPassed"}


class Cmi5Builder(Builder):
    name = "cmi5"
    api = "cmi5"
    manifest_name = "cmi5.xml"
    scripts = ("tracker-xapi.js",)

    def manifest_context(self, unit: ModuleUnit) -> dict[str, Any]:
        assert self.catalogue.settings is not None
        base = self.catalogue.settings.base_iri
        return {
            "course_id": cmi5_course_iri(base, unit),
            "course_description": unit.course.summary,
            "move_on": MOVE_ON[unit.completion.rule],
            "minimum_measure": f"{unit.completion.mastery_score / 100:.2f}",
        }
