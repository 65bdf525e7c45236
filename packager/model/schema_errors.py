"""Turn pydantic's validation errors into located, translatable problems.

pydantic reports a location made of field names, list indexes and union tags. We walk the
format's types along that location to drop the tags (they are not in the YAML) and to know
which keys were allowed where an unknown key was found, for the "did you mean" hint.
"""

from __future__ import annotations

import datetime
import difflib
import types
import typing
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Tag, ValidationError
from pydantic_core import ErrorDetails

from packager.model.format import (
    BASE_IRI_PATTERN,
    BLOCK_MODELS,
    DOCUMENT_KINDS,
    KEYWORD_PATTERN,
    PHONE_PATTERN,
    QUESTION_TYPES,
    SLUG_PATTERN,
    MultipleChoice,
    SingleChoice,
)
from packager.model.problems import Problem
from packager.utils.yamlload import Path as DataPath
from packager.utils.yamlload import SourceMap


def suggest(word: str, candidates: typing.Iterable[str]) -> str | None:
    """Closest candidate, for "did you mean …" hints (typos, missing accents, swapped letters)."""
    matches = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _union_members(tp: Any) -> list[Any] | None:
    origin = typing.get_origin(_unwrap(tp))
    if origin in (typing.Union, types.UnionType):
        return list(typing.get_args(_unwrap(tp)))
    return None


def _tag_of(member: Any) -> str | None:
    if typing.get_origin(member) is typing.Annotated:
        for meta in typing.get_args(member)[1:]:
            if isinstance(meta, Tag):
                return meta.tag
    model = _unwrap(member)
    if isinstance(model, type) and issubclass(model, BaseModel):
        for name in ("type", "kind"):
            field = model.model_fields.get(name)
            if field is not None and typing.get_origin(field.annotation) is typing.Literal:
                return str(typing.get_args(field.annotation)[0])
    return None


def resolve_loc(root: Any, loc: tuple[Any, ...]) -> tuple[DataPath, type[BaseModel] | None]:
    """(path in the YAML data, model class that holds the last segment) for a pydantic loc."""
    tp: Any = root
    path: list[str | int] = []
    holder: type[BaseModel] | None = None
    for seg in loc:
        members = _union_members(tp)
        while members is not None:
            non_null = [m for m in members if _unwrap(m) is not type(None)]
            tagged = [m for m in non_null if _tag_of(m) == seg]
            if tagged:
                tp = tagged[0]
                break
            if len(non_null) == 1:
                tp = non_null[0]
                members = _union_members(tp)
                continue
            tp = None
            break
        if members is not None and tp is not None and _tag_of(tp) == seg:
            continue  # a union tag: not part of the YAML
        base = _unwrap(tp)
        path.append(seg)
        if isinstance(base, type) and issubclass(base, BaseModel):
            holder = base
            field = base.model_fields.get(str(seg))
            tp = field.annotation if field is not None else None
            if field is not None and field.metadata:
                tp = typing.Annotated[(tp, *field.metadata)]  # keep discriminators
        elif typing.get_origin(base) in (list, tuple):
            holder = None
            tp = typing.get_args(base)[0] if typing.get_args(base) else None
        else:
            holder = None
            tp = None
    return tuple(path), holder


def kind_of(value: Any) -> str:
    """What a value is, in the words the messages name it with ("number", "text", …)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "date"
    return type(value).__name__


def _looks_like_text(key: object) -> bool:
    """No key of the format has a space: a "key" with one is a sentence cut at ": "."""
    return isinstance(key, str) and any(c.isspace() for c in key.strip())


def slug_example(value: Any) -> str:
    """``Téléphone Pro`` → ``telephone-pro``: accents transliterated, every other sign a hyphen."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return "-".join(words)[:64] or "mon-identifiant"


def _pattern_code(pattern: str) -> str:
    if pattern == SLUG_PATTERN:
        return "value.slug"
    if pattern == PHONE_PATTERN:
        return "value.phone"
    if pattern == BASE_IRI_PATTERN:
        return "value.base_iri"
    if pattern == KEYWORD_PATTERN:
        return "value.keyword"
    if pattern.startswith("^https?"):
        return "value.url"
    if "@" in pattern:
        return "value.email"
    if "/" in pattern:
        return "value.ref_format"
    if pattern.startswith(r"^\d"):
        return "value.version"
    return "value.empty"


#: French (and English) words a mediator writes for a yes/no value.
_BOOLEAN_WORDS = {"vrai": "true", "oui": "true", "juste": "true", "faux": "false", "non": "false", "yes": "true", "no": "false"}


def _owner_of(holder: type[BaseModel] | None, key: str) -> str | None:
    """The field of ``holder`` whose own keys include ``key``: ``alt`` written one level too far
    left sits beside ``image:`` but belongs to it."""
    if holder is None:
        return None
    for name, field in holder.model_fields.items():
        tp = _unwrap(field.annotation)
        members = _union_members(tp) or [tp]
        for member in members:
            model = _unwrap(member)
            if isinstance(model, type) and issubclass(model, BaseModel) and key in model.model_fields:
                return name
    return None


_OPS = {
    "greater_than": ">",
    "greater_than_equal": ">=",
    "less_than": "<",
    "less_than_equal": "<=",
}


#: (code, params, point at the key rather than the value)
Converted = tuple[str, dict[str, Any], bool]


def _key_problem(kind: str, last: str | int, holder: type[BaseModel] | None) -> Converted | None:
    """A key missing, or one the format does not know there."""
    if kind == "missing":
        return "field.missing", {"field": last}, False
    if kind != "extra_forbidden":
        return None
    if _looks_like_text(last):
        return "text.colon", {"text": last}, True
    if last == "answer" and holder in (SingleChoice, MultipleChoice):
        return "quiz.answer_key", {}, True
    owner = _owner_of(holder, str(last))
    if owner is not None:
        return "field.misplaced", {"key": last, "owner": owner}, True
    allowed = sorted(holder.model_fields) if holder else []
    return "field.unknown", {"key": last, "allowed": ", ".join(allowed), "suggestion": suggest(str(last), allowed)}, True


def _type_problem(kind: str, value: Any) -> Converted | None:
    """A value of the wrong kind: text, number, yes/no, list, mapping."""
    if kind in ("string_type", "string_sub_type"):
        if isinstance(value, dict) and any(map(_looks_like_text, value)):
            return "text.colon", {"text": next(k for k in value if _looks_like_text(k))}, False
        if value is None:
            return "value.empty", {}, False  # "tip:" with nothing after it
        return "type.text", {"got": kind_of(value), "value": value if not isinstance(value, (dict, list)) else ""}, False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "type.integer", {"got": kind_of(value)}, False
    if kind in ("bool_type", "bool_parsing"):
        meant = _BOOLEAN_WORDS.get(str(value).strip().casefold()) if isinstance(value, str) else None
        return "type.boolean", {"got": kind_of(value), "suggestion": meant}, False
    if kind in ("list_type", "tuple_type"):
        return "type.list", {"got": kind_of(value)}, False
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "type.mapping", {"got": kind_of(value)}, False
    return None


def _value_problem(kind: str, value: Any, ctx: dict[str, Any]) -> Converted | None:
    """A value of the right kind out of what the format accepts: a choice, a pattern, a length, a range."""
    if kind == "literal_error":
        expected = [e.strip().strip("'\"") for e in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        expected = [e for e in expected if e]
        return "value.choice", {"value": value, "expected": ", ".join(expected), "suggestion": suggest(str(value), expected)}, False
    if kind == "string_pattern_mismatch":
        return _pattern_code(str(ctx.get("pattern", ""))), {"value": value, "example": slug_example(value)}, False
    if kind == "string_too_long":
        return "value.too_long", {"max": ctx.get("max_length")}, False
    if kind == "too_short":
        return "list.too_short", {"min": ctx.get("min_length")}, False
    if kind in _OPS:
        return "value.range", {"value": value, "op": _OPS[kind], "limit": next(iter(ctx.values()), "")}, False
    return None


def _kind_problem(kind: str, value: Any, ctx: dict[str, Any]) -> Converted | None:
    """Which kind of thing it is: a question's type, a document's kind, a block's kind."""
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag"))
        if str(ctx.get("discriminator", "")).strip("'") == "type":
            return "question.type", {"value": ctx.get("tag"), "expected": ", ".join(QUESTION_TYPES), "suggestion": suggest(tag, QUESTION_TYPES)}, False
        return "document.kind", {"value": ctx.get("tag"), "suggestion": suggest(tag, DOCUMENT_KINDS)}, False
    if kind == "union_tag_not_found":
        return "field.missing", {"field": str(ctx.get("discriminator", "")).strip("'")}, False
    if kind == "block_kind":
        keys = list(value) if isinstance(value, dict) else []
        known = [k for k in keys if k in BLOCK_MODELS]
        shown = ", ".join(map(str, keys)) or kind_of(value)
        guess = None if known else next((s for s in (suggest(str(k), BLOCK_MODELS) for k in keys) if s), None)
        return "block.kind", {"keys": shown, "expected": ", ".join(BLOCK_MODELS), "suggestion": guess}, False
    return None


def _convert(error: ErrorDetails, path: DataPath, holder: type[BaseModel] | None) -> Converted:
    """pydantic's error as one of our problem codes, with its parameters."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    last = path[-1] if path else ""
    found = (_key_problem(kind, last, holder) or _type_problem(kind, value) or _value_problem(kind, value, ctx)
             or _kind_problem(kind, value, ctx))
    return found or ("schema.other", {"detail": error.get("msg", kind)}, False)


def problems_from_validation(
    exc: ValidationError, root: Any, file: Path, source: SourceMap
) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        path, holder = resolve_loc(root, tuple(error["loc"]))
        code, params, at_key = _convert(error, path, holder)
        if error["type"] == "union_tag_invalid":
            path = path + (str((error.get("ctx") or {}).get("discriminator", "")).strip("'"),)
        if error["type"] == "missing":
            position = source.locate(path[:-1])  # where the mapping that lacks it starts
        else:
            position = source.locate(path, prefer_key=at_key)
        if error["type"] == "union_tag_not_found":
            path = path + (params["field"],)
        if code == "text.colon" and error["type"] == "extra_forbidden":
            path = path[:-1]  # the "key" is the learner's sentence, not a field
        problems.append(Problem(file, position, path, code, params))
    # a sentence cut at ": " also leaves its mapping without its real field: say it once
    cut = {p.path for p in problems if p.code == "text.colon"}
    return [p for p in problems if not (p.code == "field.missing" and p.path[:-1] in cut)]
