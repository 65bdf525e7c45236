"""The one interface every output format implements, and the work they all share.

A builder turns one ModuleUnit into the files of its package. The player (index.html, its
script and stylesheet, the media) is the same for every format; a builder adds its manifest and
names the tracking back-end the player must talk to.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import Environment
from markupsafe import Markup

from packager.build.content import (
    MarkdownRenderer,
    embedded_json,
    file_size_label,
    inline_image_uri,
    media_files,
    memo_blocks,
    player_data,
    quiz_view,
    ui_strings,
    unbroken,
)
from packager.build.runtime import script, stylesheet
from packager.build.typography import french_spaces
from packager.model.catalogue import Catalogue, ModuleUnit, block_kind_name
from packager.model.checks.walk import shown_images
from packager.model.iri import module_iri
from packager.model.languages import language_tag
from packager.utils.imagesize import image_size, size_of
from packager.utils.inside import contained_file
from packager.utils.shrink import packaged_bytes

class Builder(ABC):
    """One output format. Subclasses give the tracking API and the manifest."""

    name: ClassVar[str]
    #: the tracking back-end player.js uses ("scorm12", "scorm2004", …)
    api: ClassVar[str]
    manifest_name: ClassVar[str]
    #: extra player scripts (tracking back-ends that SCORM does not need), built by runtime.py
    scripts: ClassVar[tuple[str, ...]] = ()

    def __init__(self, catalogue: Catalogue, env: Environment) -> None:
        self.catalogue = catalogue
        self.env = env
        self._inside: dict[str, Path | None] = {}
        self._shown: dict[str, set[str]] = {}

    def file_inside(self, written: str) -> Path | None:
        """``utils.inside.contained_file``, resolved once per builder (a build, or one preview
        page), where a media file shown by every module would be resolved four times each."""
        if written not in self._inside:
            self._inside[written] = contained_file(self.catalogue.root, written)
        return self._inside[written]

    def package(self, unit: ModuleUnit) -> dict[str, bytes]:
        """Every file of the package, by its path inside the zip."""
        files = self.player_files(unit)
        files[self.manifest_name] = self.manifest(unit, sorted(files)).encode("utf-8")
        return files

    def player_files(self, unit: ModuleUnit) -> dict[str, bytes]:
        files = {f"player/{name}": script(name) for name in self.script_names()}
        shown = self._shown_images(unit)
        for written in media_files(unit):
            real = self.file_inside(written)
            if real is not None:  # outside the catalogue or missing: the validator says so
                files[written] = self.media_bytes(real, written in shown)
        files["index.html"] = self.render_page(unit).encode("utf-8")
        return files

    def _shown_images(self, unit: ModuleUnit) -> set[str]:
        if unit.key not in self._shown:
            self._shown[unit.key] = shown_images(unit)
        return self._shown[unit.key]

    def media_bytes(self, real: Path, shown_only: bool) -> bytes:
        """A media file as the package holds it: an image only shown is shrunk when the
        catalogue asks for it (``images.shrink``); everything else as the mediator saved it."""
        return packaged_bytes(real, self.catalogue.shrink_width if shown_only else None)

    def script_names(self) -> tuple[str, ...]:
        """The built scripts of ``player/``, in the order the page runs them (player.js last)."""
        return (*self.scripts, "player.js")

    def page_context(self, unit: ModuleUnit, md: MarkdownRenderer) -> dict[str, Any]:
        """What the module's page and its fiche mémo both show."""
        return {
            "unit": unit,
            "module": unit.module,
            "course": unit.course,
            "lang": unit.language,
            "t": ui_strings(unit.language),
            "md": md,
            "kind_of": block_kind_name,
            "memo_blocks": memo_blocks,
            "contact": self.catalogue.contact(unit.course),
            "unbroken": unbroken,
        }

    def render_page(self, unit: ModuleUnit) -> str:
        md = MarkdownRenderer(unit.language)
        data = player_data(self.catalogue, unit, self.api, md)
        page = self.env.get_template("player/index.html.j2").render(
            **self.page_context(unit, md),
            quiz=quiz_view(unit),
            questions=data["questions"],
            size_of=lambda written: file_size_label(self.file_inside(written), unit.language),
            size_of_image=lambda written: self._image_size(unit, written),
            inline_image=lambda written: inline_image_uri(self.file_inside(written)),
            player_css=Markup(stylesheet("player.css")),
            memo_css=Markup(stylesheet("memo.css")),
            scripts=[f"player/{name}" for name in self.script_names()],
            data_json=embedded_json(data),
        )
        return french_spaces(page) if unit.language == "fr" else page

    def render_memo(self, unit: ModuleUnit) -> str:
        """The fiche mémo as a page of its own, its stylesheet inside: to print or to post."""
        page = self.env.get_template("player/memo-page.html.j2").render(
            **self.page_context(unit, MarkdownRenderer(unit.language)), memo_css=Markup(stylesheet("memo.css")))
        return french_spaces(page) if unit.language == "fr" else page

    def _image_size(self, unit: ModuleUnit, written: str) -> tuple[int, int] | None:
        """Read from inside the catalogue only (the preview builds catalogues with errors)."""
        real = self.file_inside(written)
        if real is None:
            return None
        if self.catalogue.shrink_width is None or written not in self._shown_images(unit):
            return image_size(real)
        # the size of the image the package holds: a shrunk screenshot is narrower
        return size_of(self.media_bytes(real, True)[:262144], real.suffix)

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
        return self.env.get_template(f"manifests/{self.name}.xml.j2").render(**context)


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
