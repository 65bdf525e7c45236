"""SCORM 1.2, one SCO per package: the default, because the Moodle app plays nothing else."""

from __future__ import annotations

from typing import Any

from packager.packaging.builders.base import Builder
from packager.model.catalogue import ModuleUnit


class Scorm12Builder(Builder):
    name = "scorm12"
    api = "scorm12"
    manifest_name = "imsmanifest.xml"

    def manifest_context(self, unit: ModuleUnit) -> dict[str, Any]:
        return {}
