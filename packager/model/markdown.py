"""Markdown parsed once per text, for everyone who reads it: the checks, then the build's pages
and fiches mémo (``packager.build.content`` renders these very tokens).

The parser is the player's: CommonMark with raw HTML not recognised, so that the checks see a
text exactly as the page will show it (``<b>`` stays text, escaped: ``checks.text`` tells the
author). Tokens are shared and must be read, never changed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

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
