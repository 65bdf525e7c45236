"""JSON Schemas of the two file kinds, for editors (YAML language server) and for tests.

Generated from the same models that validate, so the editor and ``coursepack validate`` never
disagree about what a key means; cross-file rules (references, media) stay the validator's job.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from packager.model.format import Document, Settings

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def course_schema() -> dict[str, Any]:
    schema = TypeAdapter(Document).json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    schema["title"] = "CoursePack : cours outil ou parcours métier"
    return schema


def settings_schema() -> dict[str, Any]:
    schema = Settings.model_json_schema()
    schema["$schema"] = SCHEMA_DIALECT
    schema["title"] = "CoursePack : réglages du catalogue (catalogue.yml)"
    return schema
