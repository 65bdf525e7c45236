"""xAPI (tincan.xml): the player sends statements straight to the LRS named at launch."""

from __future__ import annotations

from typing import Any

from packager.build.builders.base import Builder
from packager.model.catalogue import ModuleUnit
from packager.model.iri import module_iri
from packager.model.languages import language_tag


class XapiBuilder(Builder):
    name = "xapi"
    api = "xapi"
    manifest_name = "tincan.xml"
    scripts = ("tracker-xapi.js",)

    def manifest_context(self, unit: ModuleUnit) -> dict[str, Any]:
        assert self.catalogue.settings is not None
        return {
            "activity_id": module_iri(self.catalogue.settings.base_iri, unit),
            "language_tag": language_tag(unit.language),
        }
