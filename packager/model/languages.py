"""Course languages as the standards want them: BCP 47 tags with a region (xAPI, cmi5)."""

from __future__ import annotations

LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-US"}


def language_tag(language: str) -> str:
    return LANGUAGE_TAGS.get(language, language)
