"""The one interface every output format implements: the player, plus a manifest.

A builder is a ``Player`` (``player.py``: the pages, their scripts, the media, the inputs they are
made from) that adds its manifest and names the tracking back-end the player must talk to.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from packager.packaging.builders.player import Player
from packager.model.catalogue import ModuleUnit
from packager.model.iri import module_iri
from packager.model.languages import language_tag


class Builder(Player, ABC):
    """One output format. Subclasses give the tracking API and the manifest."""

    name: ClassVar[str]
    manifest_name: ClassVar[str]

    @property
    def manifest_template(self) -> str:
        return f"manifests/{self.name}.xml.j2"

    def template_names(self) -> tuple[str, ...]:
        return (*super().template_names(), self.manifest_template)

    def package(self, unit: ModuleUnit) -> dict[str, bytes]:
        """Every file of the package, by its path inside the zip: the player's and the manifest."""
        files = super().package(unit)
        files[self.manifest_name] = self.manifest(unit, sorted(files)).encode("utf-8")
        return files

    @abstractmethod
    def manifest_context(self, unit: ModuleUnit) -> dict[str, Any]:
        """Format-specific values for the manifest template."""

    def manifest(self, unit: ModuleUnit, files: list[str]) -> str:
        course = unit.course
        summary = unit.module.summary or course.summary
        context = {
            "ids": identifiers(unit),
            "unit": unit,
            "title": unit.module.title,
            "course_title": course.title,
            "description": summary,
            "language": unit.language,
            "language_tag": language_tag(unit.language),
            "activity_id": module_iri(self.catalogue.settings.base_iri, unit) if self.catalogue.settings else "",
            "duration": iso_duration(unit.module.duration_minutes or course.duration_minutes),
            "keywords": list(course.keywords),
            "quiz_decides": unit.completion.rule in ("quiz", "both") and unit.has_quiz,
            "mastery_score": unit.completion.mastery_score,
            "files": files,
            **self.manifest_context(unit),
        }
        return self.env.get_template(self.manifest_template).render(**context)


def identifiers(unit: ModuleUnit) -> dict[str, str]:
    """Manifest identifiers from the YAML ids alone: a republished package keeps learners' tracks."""
    stem = unit.key.replace("/", ".")
    return {
        "manifest": f"MANIFEST-{stem}",
        "organization": f"ORG-{stem}",
        "item": f"ITEM-{stem}",
        "resource": f"RES-{stem}",
        "objective": f"OBJ-{stem}",
    }


def iso_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"PT{hours}H{rest}M" if hours else f"PT{rest}M"
