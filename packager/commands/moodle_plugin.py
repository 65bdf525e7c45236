"""``coursepack moodle-plugin``: the companion plugin as the zip Moodle's installer takes."""

from __future__ import annotations

from pathlib import Path

import click

from packager.resources import moodle_plugin_dir
from packager.utils.atomic import write_bytes_atomic
from packager.utils.detzip import deterministic_zip


#: The plugin's folder name inside ``local/``: Moodle wants "$CFG->dirroot/local/coursepack" for
#: local_coursepack, and both its web installer and an admin unzipping by hand take the zip's top folder.
PLUGIN_FOLDER = "coursepack"


def plugin_zip() -> bytes:
    """Every file of the plugin under the folder name Moodle expects, so that unzipping it into
    ``local/`` then running ``admin/cli/upgrade.php`` installs it as the web installer does."""
    source = moodle_plugin_dir()
    files = {
        f"{PLUGIN_FOLDER}/{path.relative_to(source).as_posix()}": path.read_bytes()
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
