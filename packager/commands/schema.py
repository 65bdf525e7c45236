"""The schema use case: JSON Schemas that let editors complete and check course files."""

from __future__ import annotations

import json
from pathlib import Path

from packager.utils.atomic import write_text_atomic

#: ``--kind``: course files or catalogue.yml
SCHEMAS = ("catalogue", "course")


def schema_text(kind: str) -> str:
    from packager.model.jsonschema import course_schema, settings_schema  # pydantic: only when asked

    schema = course_schema() if kind == "course" else settings_schema()
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schema(kind: str, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, schema_text(kind))
