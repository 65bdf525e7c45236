"""``coursepack moodle-plugin``: the companion plugin as the zip Moodle's installer takes."""

from __future__ import annotations

from pathlib import Path

import click

from packager.resources import moodle_plugin_dir
from packager.utils.atomic import write_bytes_atomic
from packager.utils.detzip import deterministic_zip


def plugin_zip() -> bytes:
    """Every file of the plugin under one top folder named after it, as the installer expects."""
    source = moodle_plugin_dir()
    files = {
        f"{source.name}/{path.relative_to(source).as_posix()}": path.read_bytes()
        for path in sorted(source.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    return deterministic_zip(files)


def run(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{moodle_plugin_dir().name}.zip"
    write_bytes_atomic(target, plugin_zip())
    click.echo(str(target))
    return 0
