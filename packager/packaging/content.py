"""What the player needs from a module: rendered Markdown, media, and the quiz as data.

Every output format shares this: only the manifest and the tracking back-end differ. The HTML
itself is in ``templates/player``; here we prepare values for it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from collections.abc import Sequence

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup, escape

from packager.model import markdown
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.checks import walk
from packager.model.format import (
    FillIn,
    Matching,
    MultipleChoice,
    Ordering,
    QuizBlock,
    SingleChoice,
    StepsBlock,
    TipBlock,
    TrueFalse,
    WarningBlock,
)
from packager.packaging.interactions import interaction_definition
from packager.packaging.typography import french_text
from packager.model.iri import module_iri, page_iri, question_iri
from packager.model.languages import language_tag
from packager.model.resume import FILL_IN_MAX_LENGTH, MAX_ATTEMPTS
from packager.resources import templates_dir

def strings_file(language: str) -> str:
    """The player's words in one language, as a path under ``templates/`` (a builder's input)."""
    return f"player/i18n/{language}.json"


@lru_cache(maxsize=2)
def ui_strings(language: str) -> dict[str, str]:
    path = templates_dir() / strings_file(language)
    strings = json.loads(path.read_text(encoding="utf-8"))
    return {key: french_text(value) for key, value in strings.items()} if language == "fr" else strings


def _renderer(new_window: str) -> RendererHTML:
    """Raw HTML is not recognised by the shared parser (authors cannot inject markup); external
    links open a new window and say so, as RGAA asks. The shared tokens are never changed: a
    link that gains attributes is rendered from a copy."""
    renderer = RendererHTML()

    def link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        token = tokens[idx]
        external = str(token.attrGet("href") or "").startswith(("http://", "https://"))
        env.setdefault("external", []).append(external)
        if external:
            token = token.copy(attrs={**token.attrs, "target": "_blank", "rel": "noopener"})
        return self.renderToken([token], 0, options, env)

    def link_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
        external = env["external"].pop() if env.get("external") else False
        hint = f'<span class="cp-visually-hidden"> ({new_window})</span>' if external else ""
        return hint + self.renderToken(tokens, idx, options, env)

    renderer.rules["link_open"] = link_open.__get__(renderer)
    renderer.rules["link_close"] = link_close.__get__(renderer)
    return renderer


class MarkdownRenderer:
    """Markdown → HTML for one language (the "new window" hint is translated), from the tokens
    the checks already read (``packager.model.markdown``): each text is parsed once per run."""

    def __init__(self, language: str) -> None:
        self._renderer = _renderer(ui_strings(language)["new_window"])

    def block(self, text: str) -> Markup:
        return Markup(self._renderer.render(markdown.tokens(text), markdown.PARSER.options, {}))

    def inline(self, text: str) -> Markup:
        return Markup(self._renderer.render(markdown.inline_tokens(text), markdown.PARSER.options, {}))


_BREAK_AFTER = re.compile(r"(?<=@)|(?<=[^/:]/)(?=[^/])")


def unbroken(value: str) -> Markup:
    """A phone number, an e-mail or a web address that a narrow screen or a printed line never
    cuts inside: ``03 85 12 34 56`` stays whole; an address too long for a phone's line may go
    to the next line only after its ``@`` or a ``/`` (never at a hyphen or a dot)."""
    parts = [escape(part) for part in _BREAK_AFTER.split(value) if part]
    return Markup("<wbr>").join(Markup('<span class="cp-nobreak">{}</span>').format(part) for part in parts)


def display_order(seed: str, count: int) -> list[int]:
    """A fixed shuffle (the same at every build and every launch) that never shows the answer."""
    keyed = sorted(range(count), key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).digest())
    if count > 1 and keyed == list(range(count)):
        keyed = keyed[1:] + keyed[:1]
    return keyed


def media_files(unit: ModuleUnit) -> list[str]:
    """Catalogue-relative paths of the module's media; the package keeps the same paths."""
    return sorted({written for _path, written, _kind, _line in walk.media(unit)})


def _question_data(unit: ModuleUnit, base_iri: str, question: Any, md: MarkdownRenderer) -> dict[str, Any]:
    feedback = question.feedback
    data: dict[str, Any] = {
        "id": question.id,
        "iri": question_iri(base_iri, unit, question.id),
        "type": question.type,
        "prompt": question.prompt,
        "definition": {"type": "http://adlnet.gov/expapi/activities/cmi.interaction", "name": {language_tag(unit.language): question.prompt},
                       **interaction_definition(question, unit.language)},
        "correct_feedback": str(md.block(feedback.correct)) if feedback and feedback.correct else "",
        "incorrect_feedback": str(md.block(feedback.incorrect)) if feedback and feedback.incorrect else "",
    }
    if isinstance(question, (SingleChoice, MultipleChoice)):
        data["correct"] = [i for i, c in enumerate(question.choices) if c.correct]
        data["choice_feedback"] = [str(md.block(c.feedback)) if c.feedback else "" for c in question.choices]
        data["count"] = len(question.choices)
    elif isinstance(question, TrueFalse):
        data["correct"] = question.answer
    elif isinstance(question, FillIn):
        data["answers"] = list(question.answers)
        data["tolerant"] = question.tolerant
        data["max_length"] = FILL_IN_MAX_LENGTH
    elif isinstance(question, Ordering):
        data["count"] = len(question.items)
        data["order"] = display_order(f"{unit.key}/{question.id}", len(question.items))
    elif isinstance(question, Matching):
        data["count"] = len(question.pairs)
        data["order"] = display_order(f"{unit.key}/{question.id}", len(question.pairs))
    return data


def quiz_view(unit: ModuleUnit) -> dict[str, Any] | None:
    """The module's quiz block (there is at most one), with its page index."""
    for index, page in enumerate(unit.module.pages):
        for block in page.blocks:
            if isinstance(block, QuizBlock):
                return {"page": index, "quiz": block.quiz}
    return None


def player_data(catalogue: Catalogue, unit: ModuleUnit, api: str, md: MarkdownRenderer) -> dict[str, Any]:
    """Everything player.js reads from the page: tracking back-end, rules, quiz answers."""
    assert catalogue.settings is not None
    base_iri = catalogue.settings.base_iri
    found = quiz_view(unit)
    questions = [] if found is None else [_question_data(unit, base_iri, q, md) for q in found["quiz"].questions]
    return {
        "api": api,
        "format_version": 1,
        "module": unit.key,
        "iri": module_iri(base_iri, unit),
        "title": unit.module.title,
        "language": unit.language,
        "pages": [{"id": page.id, "title": page.title, "iri": page_iri(base_iri, unit, page.id)} for page in unit.module.pages],
        "rule": unit.completion.rule,
        "mastery_score": unit.completion.mastery_score,
        "quiz_decides": unit.completion.rule in ("quiz", "both") and found is not None,
        "attempts": found["quiz"].attempts if found else 0,
        "show_answers": found["quiz"].show_answers if found else False,
        "max_attempts": MAX_ATTEMPTS,
        "questions": questions,
        "strings": ui_strings(unit.language),
    }


def embedded_json(data: Any) -> str:
    """JSON to sit inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` are written
    as \\u escapes, so no text (``</script>``, ``<!--<script>``) can end or hide the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def memo_blocks(page: Any) -> list[Any]:
    """What a fiche mémo keeps of a page: its steps, tips and warnings, in order."""
    return [block for block in page.blocks if isinstance(block, (StepsBlock, TipBlock, WarningBlock))]


#: A first-page image this small rides inside the page (a ``data:`` URI): on a weak network its own
#: request would cost a round trip more than its bytes, and the first page must paint from the HTML
#: alone. Larger ones stay files (and the file stays in the package for the other pages).
INLINE_IMAGE_BYTES = 4096
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif", ".webp": "image/webp"}


def inline_image_uri(path: Path | None) -> str | None:
    """The image as a ``data:`` URI when it is small enough to inline, else None."""
    if path is None or path.suffix.lower() not in _IMAGE_TYPES or path.stat().st_size > INLINE_IMAGE_BYTES:
        return None
    return f"data:{_IMAGE_TYPES[path.suffix.lower()]};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def file_size_label(path: Path | None, language: str) -> str:
    """``PDF, 120 Ko``; empty for a file that is not there (the preview of a catalogue with errors)."""
    if path is None:
        return ""
    size = path.stat().st_size
    unit, value = ("Ko", size / 1024) if size < 1024 * 1024 else ("Mo", size / 1024 / 1024)
    if language == "en":
        unit = {"Ko": "KB", "Mo": "MB"}[unit]
    return f"{path.suffix.lstrip('.').upper()}, {max(1, round(value))} {unit}"
