"""``coursepack schema``: JSON Schemas that let editors complete and check course files."""

from __future__ import annotations

import json
from pathlib import Path

import click

from packager.utils.atomic import write_text_atomic

#: ``--kind``: course files or catalogue.yml
SCHEMAS = ("catalogue", "course")


def run(kind: str, out: Path | None) -> int:
    from packager.model.jsonschema import course_schema, settings_schema  # pydantic: only when asked

    schema = course_schema() if kind == "course" else settings_schema()
    text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out, text)
        click.echo(str(out), err=True)
    return 0
