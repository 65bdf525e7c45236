"""Moodle's form encoding of web service parameters.

Moodle reads PHP-style brackets: ``courses[0][fullname]=…``, ``courseids[0]=14``; booleans are
``0``/``1``. An empty list cannot be encoded, so it is left out (its default then applies).
"""

from __future__ import annotations

from typing import Any


def flatten(params: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []

    def add(prefix: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            for key, inner in value.items():
                add(f"{prefix}[{key}]", inner)
        elif isinstance(value, (list, tuple)):
            for index, inner in enumerate(value):
                add(f"{prefix}[{index}]", inner)
        elif isinstance(value, bool):
            pairs.append((prefix, "1" if value else "0"))
        else:
            pairs.append((prefix, str(value)))

    for name, value in params.items():
        add(name, value)
    return pairs
