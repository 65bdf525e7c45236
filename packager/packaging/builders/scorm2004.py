"""SCORM 2004 4th edition, one SCO: for platforms other than the Moodle app."""

from __future__ import annotations

from typing import Any

from packager.packaging.builders.base import Builder
from packager.model.catalogue import ModuleUnit


class Scorm2004Builder(Builder):
    name = "scorm2004"
    api = "scorm2004"
    manifest_name = "imsmanifest.xml"

    def manifest_context(self, unit: ModuleUnit) -> dict[str, Any]:
        return {"minimum_measure": f"{unit.completion.mastery_score / 100:.2f}"}
