"""What the build would silently change in a text: an image taken from another site (a tracking
pixel, blocked as mixed content in an https Moodle), raw HTML (escaped, shown with its tags), links
it drops (``javascript:``), web addresses written out (the guide asks for a link that says where
it leads) and a tip that repeats the title the page already gives it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packager.model import markdown
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.checks import walk
from packager.model.format import Strict, TipBlock, WarningBlock
from packager.model.problems import Problem, Severity
from packager.utils.yamlload import Path as DataPath

_RAW_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?»]")
_LINK_TARGET = re.compile(r"\]\(\s*<?\s*([a-z][a-z0-9+.-]*):[^)\s]*", re.IGNORECASE)
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*):[^>\s]*>", re.IGNORECASE)
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
#: The title the player gives each callout, per kind, as a mediator might repeat it.
_TITLES: dict[type[Strict], tuple[str, ...]] = {TipBlock: ("astuce", "tip"), WarningBlock: ("attention", "warning", "mise en garde")}
_TITLE_START = re.compile(r"^\W*(\w+(?: en garde)?)\W*?\s*[:!.–-]", re.IGNORECASE)


def _line(unit: ModuleUnit, path: DataPath, offset: int) -> int | None:
    first = unit.doc.source.block_content.get(path)
    return first + offset if first is not None else None


def _check_text(unit: ModuleUnit, path: DataPath, text: str, inline: bool) -> Iterator[Problem]:
    html_reported = False  # "<b>gras</b>": one message for the text, not one per tag
    for target, kind, offset in markdown.targets(text, inline):
        if kind == "image" and markdown.is_remote(target):
            yield unit.doc.problem(path, "text.remote_image", {"url": target[:80]}, line=_line(unit, path, offset))
    for match in (*_LINK_TARGET.finditer(text), *_AUTOLINK.finditer(text)):
        if match.group(1).lower() not in SAFE_SCHEMES:
            url = f"{match.group(1)}:…"
            offset = text[: match.start()].count("\n")
            yield unit.doc.problem(path, "text.unsafe_link", {"url": url}, Severity.WARNING, line=_line(unit, path, offset))
    for token in markdown.parsed(text, inline):
        if token.type != "inline" or not token.children:
            continue
        offset = token.map[0] if token.map else 0
        in_link = 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text":
                shown = child.content
                for tag in markdown.raw_html(shown, text):
                    if not html_reported and not _AUTOLINK.fullmatch(tag.group(0)):
                        html_reported = True
                        yield unit.doc.problem(path, "text.html", {"html": tag.group(0)[:40]}, Severity.WARNING,
                                               line=_line(unit, path, offset))
                    shown = shown.replace(tag.group(0), " " * len(tag.group(0)))  # an address in a tag is no raw URL
                for found in _RAW_URL.finditer(shown) if not in_link else ():
                    yield unit.doc.problem(path, "text.raw_url", {"url": found.group(0)}, Severity.WARNING,
                                           line=_line(unit, path, offset))


def _check_titles(unit: ModuleUnit) -> Iterator[Problem]:
    for path, _page, block in walk.blocks(unit):
        words = _TITLES.get(type(block))
        text = getattr(block, "tip", None) or getattr(block, "warning", None)
        if words is None or not text:
            continue
        match = _TITLE_START.match(text)
        if match and match.group(1).casefold() in words:
            start = text[: match.end()].strip(" *_")
            yield unit.doc.problem(path, "text.repeated_title", {"start": start}, Severity.WARNING)


def check(catalogue: Catalogue) -> Iterator[Problem]:
    for unit in catalogue.modules():
        for path, text, inline in walk.markdown_texts(unit):
            yield from _check_text(unit, path, text, inline)
        yield from _check_titles(unit)
