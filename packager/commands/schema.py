"""``coursepack schema``: JSON Schemas that let editors complete and check course files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from packager.model.jsonschema import course_schema, settings_schema
from packager.utils.atomic import write_text_atomic

SCHEMAS = {"course": course_schema, "catalogue": settings_schema}


def run(kind: str, out: Path | None) -> int:
    text = json.dumps(SCHEMAS[kind](), ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out, text)
        click.echo(str(out), err=True)
    return 0
