"""French typography in the pages: a space that must not break before « ; : ! ? » and inside
« guillemets », so that a phone never starts a line with a lone "?" or "»"; nor inside a phone
number written in a text (« 03 85 12 34 56 » is read, and dialled, as one)."""

from __future__ import annotations

import re

# markup, scripts and styles are kept as they are; only the text between them changes
_MARKUP = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]+>)", re.DOTALL | re.IGNORECASE)
_BEFORE_PUNCTUATION = re.compile(r"[ \u00a0]([;:!?%])")
_OPENING_QUOTE = re.compile(r"«[ \u00a0]")
_CLOSING_QUOTE = re.compile(r"[ \u00a0]»")
_CANDIDATE = re.compile(r"[ \u00a0][;:!?%»]|«[ \u00a0]|\d \d")
#: « 03 85 12 34 56 », « +33 3 85 12 34 56 »: French numbers as written, spaces between pairs
_PHONE = re.compile(r"(?<![\d+])(?:0\d|\+33 ?\d)(?: \d\d){4}(?!\d)")

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def french_text(text: str) -> str:
    """Plain text (no markup): the player's interface strings."""
    text = _BEFORE_PUNCTUATION.sub(lambda m: (NBSP if m.group(1) in ":%" else NARROW_NBSP) + m.group(1), text)
    text = _OPENING_QUOTE.sub("«" + NBSP, text)
    text = _PHONE.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    return _CLOSING_QUOTE.sub(NBSP + "»", text)


def french_spaces(html: str) -> str:
    parts = _MARKUP.split(html)
    parts[::2] = [french_text(part) if _CANDIDATE.search(part) else part for part in parts[::2]]  # most hold none
    return "".join(parts)
