"""The resume state a player saves in ``cmi.suspend_data``, and its worst-case size.

SCORM 1.2 (the only version the Moodle app plays) keeps at most 4,096 characters of suspend
data; a learner whose state no longer fits loses their place. The validator therefore computes,
for every module, the longest state the player could ever write, using the encoding below,
which the player runtime implements (templates/player/src/codec.js). ``encode_state`` below
writes it as the player does (a browser test compares the two); the worst case is that encoder run on the longest answers:

    1|<pages>|<attempts>.<score>~<answer>;<answer>;…      (a module without quiz: 1|<pages>|0~)

- ``1``: format version.
- ``<pages>``: pages seen, a bitmap in hexadecimal, page 0 in the lowest bit of the last digit.
- ``<attempts>``: quiz attempts used, base 36, at most ``zz``; ``<score>``: the last attempt's
  score (0-100), empty before the first attempt.
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
#: The player stops counting attempts at two base-36 digits ("zz"); it gets this from the page data.
MAX_ATTEMPTS = 36 * 36 - 1
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_ESCAPED = "%|;~"


def _base36(n: int) -> str:
    text = ""
    while True:
        n, digit = divmod(n, 36)
        text = _DIGITS[digit] + text
        if not n:
            return text


def _digit(index: int) -> str:
    """One character per index (beyond 36 choices, which another rule refuses, still one)."""
    return _DIGITS[index] if index < len(_DIGITS) else "?"


def encode_answer(question: Any, answer: Any) -> str:
    """One answer as codec.js's ``encodeAnswer`` writes it."""
    if answer is None:
        return ""
    if isinstance(question, SingleChoice):
        return _digit(answer)
    if isinstance(question, TrueFalse):
        return "t" if answer else "f"
    if isinstance(question, FillIn):
        return "".join(f"%{ord(c):02X}" if c in _ESCAPED else c for c in answer)
    if isinstance(question, (MultipleChoice, Ordering, Matching)):
        return "".join(_digit(i) for i in answer)
    raise TypeError(f"unknown question type {type(question).__name__}")


def encode_state(seen: list[bool], questions: list[Any], attempts: int, last_score: int | None, answers: list[Any]) -> str:
    """The resume state exactly as codec.js's ``encode`` writes it (tested side by side)."""
    bits = ""
    for start in range(0, len(seen), 4):
        nibble = sum(1 << b for b in range(4) if start + b < len(seen) and seen[start + b])
        bits = format(nibble, "x") + bits
    if not questions:
        return f"1|{bits}|0~"
    score = "" if last_score is None else str(last_score)
    body = ";".join(encode_answer(q, a) for q, a in zip(questions, answers, strict=False))
    return f"1|{bits}|{_base36(min(attempts, MAX_ATTEMPTS))}.{score}~{body}"


def worst_answer(question: Any) -> Any:
    """The answer whose encoding is longest: every choice, every character escaped."""
    if isinstance(question, SingleChoice):
        return len(question.choices) - 1
    if isinstance(question, TrueFalse):
        return True
    if isinstance(question, MultipleChoice):
        return list(range(len(question.choices)))
    if isinstance(question, FillIn):
        return "|" * FILL_IN_MAX_LENGTH
    if isinstance(question, Ordering):
        return list(range(len(question.items)))
    if isinstance(question, Matching):
        return list(range(len(question.pairs)))
    raise TypeError(f"unknown question type {type(question).__name__}")


def max_suspend_data_length(page_count: int, questions: list[Any]) -> int:
    """The longest state the player can write for this module: the encoder run on the worst case."""
    worst = encode_state([True] * max(1, page_count), questions, MAX_ATTEMPTS, 100, [worst_answer(q) for q in questions])
    return len(worst)


def pages_seen(state: str, count: int) -> list[int] | None:
    """The indexes of the pages a resume state marks as seen (codec.js's ``decode``, pages part),
    or None when the text is not a state of ours (another package's suspend data)."""
    fields = state.split("|")
    if len(fields) != 3 or fields[0] != "1" or any(c not in "0123456789abcdef" for c in fields[1]):
        return None
    bits = fields[1]
    seen = []
    for index in range(count):
        position = len(bits) - 1 - index // 4
        if position >= 0 and int(bits[position], 16) & (1 << (index % 4)):
            seen.append(index)
    return seen
