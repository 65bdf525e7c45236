"""xAPI (tincan.xml): the player sends statements straight to the LRS named at launch."""

from __future__ import annotations

from typing import Any

from packager.packaging.builders.base import Builder
from packager.model.catalogue import ModuleUnit


class XapiBuilder(Builder):
    name = "xapi"
    api = "xapi"
    manifest_name = "tincan.xml"
    scripts = ("tracker-xapi.js",)

    def manifest_context(self, unit: ModuleUnit) -> dict[str, Any]:
        return {}  # the shared context (activity IRI, language tag, title) is all tincan.xml needs
