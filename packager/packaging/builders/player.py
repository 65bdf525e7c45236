"""The player every package carries, and the inputs it is made from.

A ``Player`` turns one ModuleUnit into the files that play it: ``index.html`` (its stylesheet
inside), the built scripts of ``player/``, the media, and the fiche mémo. An output format (a
``Builder``, in ``base.py``) is a player plus a manifest; the preview is a player alone.

Whatever a player reads to make a package it also declares in ``inputs()``: the pipeline hashes
exactly that to decide whether a package must be built again, and ``tests/test_inputs.py`` fails
when a player reads a file it did not declare, so a new input cannot leave stale packages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import Environment, meta
from markupsafe import Markup

from packager.packaging.content import (
    MarkdownRenderer,
    embedded_json,
    file_size_label,
    inline_image_uri,
    media_files,
    memo_blocks,
    player_data,
    quiz_view,
    strings_file,
    ui_strings,
    unbroken,
)
from packager.packaging.runtime import MINIFIERS, SCRIPTS, STYLESHEETS, script, stylesheet
from packager.packaging.typography import french_spaces
from packager.model.catalogue import Catalogue, ModuleUnit, block_kind_name
from packager.model.checks.walk import shown_images
from packager.utils.imagesize import image_size, size_of
from packager.utils.inside import contained_file
from packager.utils.shrink import packaged_bytes
from packager.utils.shrink import recipe as shrink_recipe

#: The templates a player renders (those they include or import are found by reading them).
PAGE_TEMPLATES = ("player/index.html.j2", "player/memo-page.html.j2")


@dataclass(frozen=True)
class Inputs:
    """What one package is made from, as its player declares it."""

    #: files of ``templates/``: the page templates and those they include, the player's script
    #: sources and stylesheets, the words of the module's language
    templates: tuple[str, ...]
    #: files of the catalogue, as the course writes them (images, linked documents)
    media: tuple[str, ...]
    #: everything else, as text: the module, its course, the catalogue's settings, the minifiers'
    #: versions, and how images are shrunk when they are
    values: tuple[str, ...]


class Player:
    """The pages of one module and the files they need. Subclasses name the tracking back-end."""

    #: the tracking back-end player.js uses ("scorm12", "scorm2004", "preview", …)
    api: ClassVar[str]
    #: extra player scripts (tracking back-ends that SCORM does not need), built by runtime.py
    scripts: ClassVar[tuple[str, ...]] = ()

    def __init__(self, catalogue: Catalogue, env: Environment) -> None:
        self.catalogue = catalogue
        self.env = env
        self._inside: dict[str, Path | None] = {}
        self._shown: dict[str, set[str]] = {}
        self._templates: dict[str, tuple[str, ...]] = {}
        self._settings = catalogue.settings.model_dump_json() if catalogue.settings else ""

    # --- what a package is made from ---------------------------------------------------------

    def template_names(self) -> tuple[str, ...]:
        """The templates this player renders; a format adds its manifest's."""
        return PAGE_TEMPLATES

    def inputs(self, unit: ModuleUnit) -> Inputs:
        """Every file and setting ``package(unit)`` and ``render_memo(unit)`` read."""
        values = [self.api, unit.key, unit.language, self._settings, unit.completion.model_dump_json(),
                  unit.module.model_dump_json(), unit.course.model_dump_json(exclude={"modules", "pages"}), MINIFIERS]
        if self.catalogue.shrink_width is not None:  # the width is in the settings; how, and with which Pillow
            values.append(shrink_recipe())
        return Inputs(self._template_files(unit.language), tuple(media_files(unit)), tuple(values))

    def _template_files(self, language: str) -> tuple[str, ...]:
        if language not in self._templates:
            scripts = (f"player/{SCRIPTS[name][0]}/{source}" for name in self.script_names() for source in SCRIPTS[name][1])
            styles = (f"player/{name}" for name in STYLESHEETS)
            self._templates[language] = (*self._rendered_templates(), *scripts, *styles, strings_file(language))
        return self._templates[language]

    def _rendered_templates(self) -> list[str]:
        """The templates rendered, and every template they include or import, read from the files."""
        found: list[str] = []
        waiting = list(self.template_names())
        while waiting:
            name = waiting.pop(0)
            if name in found:
                continue
            found.append(name)
            assert self.env.loader is not None
            source, _file, _uptodate = self.env.loader.get_source(self.env, name)
            waiting += [child for child in meta.find_referenced_templates(self.env.parse(source)) if child is not None]
        return found

    # --- the files ------------------------------------------------------------------------

    def file_inside(self, written: str) -> Path | None:
        """``utils.inside.contained_file``, resolved once per player (a build, or one preview
        page), where a media file shown by every module would be resolved four times each."""
        if written not in self._inside:
            self._inside[written] = contained_file(self.catalogue.root, written)
        return self._inside[written]

    def package(self, unit: ModuleUnit) -> dict[str, bytes]:
        """Every file of the player, by its path inside the package."""
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
