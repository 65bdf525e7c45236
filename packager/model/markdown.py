"""Markdown parsed once per text, for everyone who reads it: the checks, then the build's pages
and fiches mémo (``packager.packaging.content`` renders these very tokens).

The parser is the player's: CommonMark with raw HTML not recognised, so that the checks see a
text exactly as the page will show it (``<b>`` stays text, escaped: ``checks.text`` tells the
author). Tokens are shared and must be read, never changed.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from collections.abc import Iterator
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.token import Token

PARSER = MarkdownIt("commonmark", {"html": False})
#: enough for every text of a large catalogue, bounded for a long-running preview
_TEXTS = 65536


@lru_cache(maxsize=_TEXTS)
def tokens(text: str) -> tuple[Token, ...]:
    """A text shown as blocks (paragraphs, lists, headings)."""
    return tuple(PARSER.parse(text))


@lru_cache(maxsize=_TEXTS)
def inline_tokens(text: str) -> tuple[Token, ...]:
    """A text shown inside a line (a question's prompt): one ``inline`` token."""
    return tuple(PARSER.parseInline(text.strip()))


def parsed(text: str, inline: bool) -> tuple[Token, ...]:
    return inline_tokens(text) if inline else tokens(text)


def raw_html(shown: str, source: str) -> Iterator[re.Match[str]]:
    """HTML tags in ``shown`` (a text token) as an HTML-aware parser would take them, written as
    such in ``source`` (``\\<b>`` and ``&lt;b&gt;`` are an author's way to show a tag: not HTML)."""
    start = shown.find("<")
    while start != -1:
        match = HTML_TAG_RE.match(shown, start)
        if match and re.search(r"(?<!\\)" + re.escape(match.group(0)), source):
            yield match
        start = shown.find("<", match.end() if match else start + 1)


_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def targets(text: str, inline: bool) -> Iterator[tuple[str, str, int]]:
    """(address as the page will hold it, ``link`` or ``image``, line offset in the text) of
    every link and image of a text."""
    for token in parsed(text, inline):
        if token.type != "inline" or not token.children:
            continue
        offset = token.map[0] if token.map else 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "link_open":
                yield str(child.attrGet("href") or ""), "link", offset
            elif child.type == "image":
                yield str(child.attrGet("src") or ""), "image", offset


def is_remote(target: str) -> bool:
    """``https://…`` and ``//host/…``: fetched from another site when the page shows it."""
    return target.lower().startswith(("http://", "https://", "//"))


def local_file(target: str) -> str | None:
    """The catalogue file a relative address names (``media/ma%20fiche.pdf#page=2`` →
    ``media/ma fiche.pdf``), as the package must hold it; None for an address with a scheme
    (``https:``, ``mailto:``), a protocol-relative one, or an anchor in the page."""
    if not target or _SCHEME.match(target) or target.startswith(("#", "?")):
        return None
    path = unquote(re.split(r"[?#]", target, maxsplit=1)[0])
    if not path:
        return None
    normal = posixpath.normpath(path)
    return path if normal.startswith("..") or normal == "." else normal
