"""The resume state a player saves in ``cmi.suspend_data``, and its worst-case size.

SCORM 1.2 (the only version the Moodle app plays) keeps at most 4,096 characters of suspend
data; a learner whose state no longer fits loses their place. The validator therefore computes,
for every module, the longest state the player could ever write, using the encoding below,
which the player runtime implements:

    1|<pages>|<attempts>~<answer>;<answer>;…

- ``1``: format version.
- ``<pages>``: pages seen, a bitmap in hexadecimal, page 0 in the lowest bit of the last digit.
- ``<attempts>``: quiz attempts used, base 36.
- one ``<answer>`` per question, in quiz order, empty when unanswered:
  single choice: the choice index in base 36 (one character); multiple choice: the indexes
  chosen, one character each; true/false: ``t`` or ``f``; fill-in: the typed text, with ``%``,
  ``|``, ``;`` and ``~`` written as ``%25``, ``%7C``, ``%3B``, ``%7E``; ordering: the item
  indexes in the learner's order; matching: for each left item, the index of the right item.

Indexes are one base-36 character, hence SCORM 1.2's limit of 36 choices per question.
"""

from __future__ import annotations

from typing import Any

from packager.model.format import FillIn, Matching, MultipleChoice, Ordering, SingleChoice, TrueFalse

SCORM12_SUSPEND_DATA_MAX = 4096
#: The player's input limit for a fill-in answer (characters the learner may type).
FILL_IN_MAX_LENGTH = 60
#: Base-36 digits: 0-9 then a-z, the characters SCORM 1.2 allows in choice responses.
MAX_CHOICES = 36
_ESCAPED_CHAR = 3  # "%7C"
_ATTEMPTS_DIGITS = 2  # up to 1,295 attempts


def answer_max_length(question: Any) -> int:
    """Longest encoded answer the player can store for ``question``."""
    if isinstance(question, (SingleChoice, TrueFalse)):
        return 1
    if isinstance(question, MultipleChoice):
        return len(question.choices)
    if isinstance(question, FillIn):
        return FILL_IN_MAX_LENGTH * _ESCAPED_CHAR
    if isinstance(question, Ordering):
        return len(question.items)
    if isinstance(question, Matching):
        return len(question.pairs)
    raise TypeError(f"unknown question type {type(question).__name__}")


def max_suspend_data_length(page_count: int, questions: list[Any]) -> int:
    pages = max(1, -(-page_count // 4))
    header = len("1|") + pages + len("|")
    if not questions:
        return header + len("0~")
    answers = sum(answer_max_length(q) for q in questions) + len(questions) - 1
    return header + _ATTEMPTS_DIGITS + len("~") + answers
