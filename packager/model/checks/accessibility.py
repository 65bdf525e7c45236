"""What an author can get right for accessibility (RGAA / WCAG 2.1 AA) before anything is built:
text alternatives, captions, heading order and link text. The player handles the rest."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model import markdown
from packager.model.checks import walk
from packager.model.problems import Problem, Severity
from packager.utils.yamlload import Path as DataPath

ALT_MAX_LENGTH = 150
_FILENAME = re.compile(r"^[\w.-]+\.(svg|png|jpe?g|gif|webp)$", re.IGNORECASE)
_REDUNDANT_START = re.compile(r"^(image|photo|illustration|picture)\s+(de|d'|d’|du|des|of)\b", re.IGNORECASE)
_VAGUE_LINK_TEXTS = {
    "ici", "cliquez ici", "cliquer ici", "clic ici", "lien", "ce lien", "le lien", "en savoir plus",
    "plus", "lire la suite", "la suite", "voir", "voir ici", "click here", "here", "link", "more",
    "read more", "this link",
}


def _check_images(unit: ModuleUnit) -> Iterator[Problem]:
    for path, image in walk.images(unit):
        if image.decorative:
            if image.alt:
                yield unit.doc.problem(path + ("alt",), "a11y.alt_decorative", severity=Severity.WARNING)
            continue
        if not image.alt:
            yield unit.doc.problem(path, "a11y.alt_missing", prefer_key=True)
            continue
        alt = image.alt.strip()
        if _FILENAME.match(alt):
            yield unit.doc.problem(path + ("alt",), "a11y.alt_filename", {"alt": alt}, Severity.WARNING)
        elif match := _REDUNDANT_START.match(alt):
            yield unit.doc.problem(path + ("alt",), "a11y.alt_redundant", {"start": match.group(0)}, Severity.WARNING)
        if len(alt) > ALT_MAX_LENGTH:
            yield unit.doc.problem(path + ("alt",), "a11y.alt_too_long", {"length": len(alt), "max": ALT_MAX_LENGTH}, Severity.WARNING)


def _line(unit: ModuleUnit, path: DataPath, offset: int) -> int | None:
    """File line of line ``offset`` of a Markdown text (exact for ``|`` blocks)."""
    first = unit.doc.source.block_content.get(path)
    return first + offset if first is not None else None


def _link_text(children: list[Token], start: int) -> str:
    parts = []
    for token in children[start + 1 :]:
        if token.type == "link_close":
            break
        parts.append(token.content)
    return "".join(parts).strip()


def _check_markdown(unit: ModuleUnit, path: DataPath, text: str, inline: bool) -> Iterator[Problem]:
    previous = 1  # the page title is the level-1 heading
    for token in markdown.parsed(text, inline):
        offset = token.map[0] if token.map else 0
        if token.type == "heading_open":
            level = int(token.tag[1])
            if level == 1:
                yield unit.doc.problem(path, "a11y.heading_h1", line=_line(unit, path, offset))
            elif level > previous + 1:
                params = {"previous": previous, "level": level, "fix": "#" * (previous + 1)}
                yield unit.doc.problem(path, "a11y.heading_skip", params, line=_line(unit, path, offset))
            if level > 1:
                previous = level
        elif token.type == "inline" and token.children:
            for index, child in enumerate(token.children):
                if child.type != "link_open":
                    continue
                label = _link_text(token.children, index)
                normalized = re.sub(r"[\s.!:…»«]+$", "", label.lower()).strip()
                if normalized in _VAGUE_LINK_TEXTS or not normalized:
                    yield unit.doc.problem(path, "a11y.link_text", {"text": label}, Severity.WARNING, line=_line(unit, path, offset))
                elif re.match(r"^(https?://|www\.)", normalized):
                    yield unit.doc.problem(path, "a11y.link_url_text", {"text": label}, Severity.WARNING, line=_line(unit, path, offset))


def check(catalogue: Catalogue) -> Iterator[Problem]:
    for unit in catalogue.modules():
        yield from _check_images(unit)
        for path, text, inline in walk.markdown_texts(unit):
            yield from _check_markdown(unit, path, text, inline)
