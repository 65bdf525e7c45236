"""``coursepack moodle-plugin`` on the command line: the zip's path."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packager.cli.options import PATH


@click.command("moodle-plugin")
@click.option("--out", type=PATH, default=Path("dist"), show_default=True, help="Folder for the plugin zip.")
def moodle_plugin(out: Path) -> None:
    """Build the companion Moodle plugin's installable zip (local_coursepack.zip)."""
    from packager.commands.moodle_plugin import write_plugin

    click.echo(str(write_plugin(out)))
    sys.exit(0)
