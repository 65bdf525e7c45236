"""The parts of an xAPI statement the report reads, as typed shapes for a fast decode of the
LRS's pages (docs/report.md, « Scale », and bench/report_bench.py).

Decoding a page into dictionaries built every part of every statement (definitions, extensions,
object types): most of a full report's time. ``msgspec`` decodes a page straight into these
shapes, leaving out what the report does not read. A page with anything the shapes do not
expect (``object: "x"``, ``duration: 5``, a sub-statement) is decoded whole as before and each of
its statements read for what it validly says (``rows.row_of``).
"""

from __future__ import annotations

from typing import Any

import msgspec


class Account(msgspec.Struct):
    homePage: Any = None  # noqa: N815 - xAPI's name
    name: Any = None


class Actor(msgspec.Struct):
    name: Any = None
    mbox: Any = None
    mbox_sha1sum: Any = None
    openid: Any = None
    account: Account | None = None


class Ref(msgspec.Struct):
    id: str


class Activities(msgspec.Struct):
    grouping: list[Ref] = []


class Context(msgspec.Struct):
    registration: str = ""
    contextActivities: Activities | None = None  # noqa: N815


class Score(msgspec.Struct):
    scaled: float | None = None
    raw: float | None = None
    min: float | None = None
    max: float | None = None


class Result(msgspec.Struct):
    score: Score | None = None
    duration: str | None = None
    success: bool | None = None
    response: str | None = None


class Statement(msgspec.Struct):
    id: str
    actor: Actor
    verb: Ref
    object: Ref
    context: Context | None = None
    result: Result | None = None
    stored: str = ""
    timestamp: str | None = None


class Page(msgspec.Struct):
    statements: list[Statement]
    more: Any = None


_PAGE = msgspec.json.Decoder(Page)


def decode_page(body: bytes) -> dict[str, Any] | None:
    """A statement result as ``{"statements": [Statement…], "more": …}``, or None when the page
    has anything these shapes do not expect (then it is decoded whole, as any other answer)."""
    try:
        page = _PAGE.decode(body)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    return {"statements": page.statements, "more": page.more}


def as_dict(statement: Statement) -> dict[str, Any]:
    """A statement of these shapes as the dictionary the careful read takes."""
    built: dict[str, Any] = msgspec.to_builtins(statement)
    return built
