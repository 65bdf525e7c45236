"""Questions as interactions: the choice identifiers shared by SCORM and xAPI, and the xAPI
cmi.interaction definition (type, correct responses, components) of each question type."""

from __future__ import annotations

from typing import Any

from packager.model.format import FillIn, Matching, MultipleChoice, Ordering, SingleChoice, TrueFalse
from packager.model.languages import language_tag

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
INTERACTION_TYPES = {"single": "choice", "multiple": "choice", "true_false": "true-false", "fill_in": "fill-in",
                     "ordering": "sequencing", "matching": "matching"}


def b36(index: int) -> str:
    """One character per choice: SCORM 1.2 choice responses are 0-9 then a-z."""
    return _DIGITS[index]


def texts(text: str | None, language: str) -> dict[str, str]:
    """A language map holding the author's text under its own language only (``fr-FR``)."""
    return {language_tag(language): text} if text else {}


def interaction_definition(question: Any, language: str) -> dict[str, Any]:
    """interactionType, correctResponsesPattern and components, as xAPI 1.0.3 writes them."""
    def _components(ids_and_texts: list[tuple[str, str]]) -> list[dict[str, Any]]:
        return [{"id": ident, "description": texts(text, language)} for ident, text in ids_and_texts]

    extra: dict[str, Any] = {"interactionType": INTERACTION_TYPES[question.type]}
    if isinstance(question, (SingleChoice, MultipleChoice)):
        extra["choices"] = _components([(b36(i), c.text) for i, c in enumerate(question.choices)])
        extra["correctResponsesPattern"] = ["[,]".join(b36(i) for i, c in enumerate(question.choices) if c.correct)]
    elif isinstance(question, TrueFalse):
        extra["correctResponsesPattern"] = ["true" if question.answer else "false"]
    elif isinstance(question, FillIn):
        prefix = "{case_matters=false}" if question.tolerant else ""
        extra["correctResponsesPattern"] = [prefix + answer for answer in question.answers]
    elif isinstance(question, Ordering):
        extra["choices"] = _components([(b36(i), item) for i, item in enumerate(question.items)])
        extra["correctResponsesPattern"] = ["[,]".join(b36(i) for i in range(len(question.items)))]
    elif isinstance(question, Matching):
        extra["source"] = _components([(b36(i), pair.left) for i, pair in enumerate(question.pairs)])
        extra["target"] = _components([(b36(i), pair.right) for i, pair in enumerate(question.pairs)])
        extra["correctResponsesPattern"] = ["[,]".join(f"{b36(i)}[.]{b36(i)}" for i in range(len(question.pairs)))]
    return extra
