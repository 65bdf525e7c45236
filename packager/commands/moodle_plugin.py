"""The moodle-plugin use case: the companion plugin as the zip Moodle's installer takes."""

from __future__ import annotations

import datetime
from pathlib import Path

from packager.moodle.plugin_version import shipped_plugin
from packager.resources import moodle_plugin_dir
from packager.utils.atomic import write_bytes_atomic
from packager.utils.detzip import deterministic_zip


#: The plugin's folder name inside ``local/``: Moodle wants "$CFG->dirroot/local/coursepack" for
#: local_coursepack, and both its web installer and an admin unzipping by hand take the zip's top folder.
PLUGIN_FOLDER = "coursepack"


def release_date(version: int) -> datetime.datetime:
    """The day of the plugin's ``$plugin->version`` (2026120501 → 2026-12-05 12:01: noon plus the
    day's counter in minutes: two releases of one day differ too).

    unzip and Moodle's web installer keep the zip's dates; with every file dated 1980, an
    upgraded file had the old file's mtime and PHP-FPM's OPcache (validate_timestamps) kept
    running the old code. A date taken from the version is the same on every build and moves
    forward with each release."""
    year, month, day, counter = version // 1000000, version // 10000 % 100, version // 100 % 100, version % 100
    return datetime.datetime(year, month, day, 12) + datetime.timedelta(minutes=counter)


def plugin_zip() -> bytes:
    """Every file of the plugin under the folder name Moodle expects, so that unzipping it into
    ``local/`` then running ``admin/cli/upgrade.php`` installs it as the web installer does,
    every entry dated from the plugin's version (see ``release_date``)."""
    source = moodle_plugin_dir()
    files = {
        f"{PLUGIN_FOLDER}/{path.relative_to(source).as_posix()}": path.read_bytes()
        for path in sorted(source.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    return deterministic_zip(files, dated=release_date(shipped_plugin().version))


def write_plugin(out: Path) -> Path:
    """``out/local_coursepack.zip``, written atomically."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{moodle_plugin_dir().name}.zip"
    write_bytes_atomic(target, plugin_zip())
    return target
