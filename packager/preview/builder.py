"""The preview's package: the SCORM 1.2 player plus the xAPI tracker, kept in memory."""

from __future__ import annotations

from typing import Any

from packager.build.builders.base import Builder
from packager.model.catalogue import ModuleUnit


class PreviewBuilder(Builder):
    """Not an output format: no manifest, nothing written to disk."""

    name = "preview"
    api = "preview"
    manifest_name = ""
    scripts = ("tracker-xapi.js",)

    def manifest_context(self, unit: ModuleUnit) -> dict[str, Any]:
        return {}

    def package(self, unit: ModuleUnit) -> dict[str, bytes]:
        return self.player_files(unit)
