"""The parts of an xAPI statement the report reads, as typed shapes for a fast decode of the
LRS's pages (docs/report.md, « Scale », and bench/report_bench.py).

Decoding a page into dictionaries built every part of every statement (definitions, extensions,
object types): most of a full report's time. ``msgspec`` decodes a page straight into these
shapes, leaving out what the report does not read. A page with anything the shapes do not
expect (``object: "x"``, ``duration: 5``, a sub-statement) is decoded whole as before and each of
its statements read for what it validly says (``store.row_of``).
"""

from __future__ import annotations

from typing import Any, Optional

import msgspec


class Account(msgspec.Struct):
    homePage: Any = None  # noqa: N815 - xAPI's name
    name: Any = None


class Actor(msgspec.Struct):
    name: Any = None
    mbox: Any = None
    mbox_sha1sum: Any = None
    openid: Any = None
    account: Optional[Account] = None


class Ref(msgspec.Struct):
    id: str


class Activities(msgspec.Struct):
    grouping: list[Ref] = []


class Context(msgspec.Struct):
    registration: str = ""
    contextActivities: Optional[Activities] = None  # noqa: N815


class Score(msgspec.Struct):
    scaled: Optional[float] = None
    raw: Optional[float] = None
    min: Optional[float] = None
    max: Optional[float] = None


class Result(msgspec.Struct):
    score: Optional[Score] = None
    duration: Optional[str] = None
    success: Optional[bool] = None
    response: Optional[str] = None


class Statement(msgspec.Struct):
    id: str
    actor: Actor
    verb: Ref
    object: Ref
    context: Optional[Context] = None
    result: Optional[Result] = None
    stored: str = ""
    timestamp: Optional[str] = None


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
    return msgspec.to_builtins(statement)
