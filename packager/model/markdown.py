"""Markdown as the checks see it: parsed once per text, whichever checks read it.

The same CommonMark parser as the player's, with raw HTML recognised (the player escapes it) so
that a check can say so; tokens are shared and must be read, never changed.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark")


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    return tuple(_PARSER.parse(text))
