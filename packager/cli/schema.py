"""``coursepack schema`` on the command line: the schema on standard output, or the file written."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packager.cli.options import PATH
from packager.commands.schema import SCHEMAS, schema_text, write_schema


def run(kind: str, out: Path | None) -> int:
    if out is None:
        click.echo(schema_text(kind), nl=False)
    else:
        write_schema(kind, out)
        click.echo(str(out), err=True)
    return 0


@click.command()
@click.option("--kind", type=click.Choice(SCHEMAS), default="course", show_default=True, help="Course files or catalogue.yml.")
@click.option("--out", type=PATH, default=None, help="File to write (default: standard output).")
def schema(kind: str, out: Path | None) -> None:
    """Write the JSON Schema of the course format, for editors."""
    sys.exit(run(kind, out))
