"""The moodle-plugin use case: the companion plugin as the zip Moodle's installer takes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from packager.resources import moodle_plugin_dir
from packager.utils.atomic import write_bytes_atomic
from packager.utils.detzip import deterministic_zip


#: The plugin's folder name inside ``local/``: Moodle wants "$CFG->dirroot/local/coursepack" for
#: local_coursepack, and both its web installer and an admin unzipping by hand take the zip's top folder.
PLUGIN_FOLDER = "coursepack"


def release_date(version_php: str) -> datetime.datetime:
    """The day of the plugin's ``$plugin->version`` (2026120700 → 2026-12-07, noon plus the
    day's counter in minutes: two releases of one day differ too).

    unzip and Moodle's web installer keep the zip's dates; with every file dated 1980, an
    upgraded file had the old file's mtime and PHP-FPM's OPcache (validate_timestamps) kept
    running the old code. A date taken from the version is the same on every build and moves
    forward with each release."""
    found = re.search(r"\$plugin->version\s*=\s*(\d{4})(\d{2})(\d{2})(\d{2})\s*;", version_php)
    if found is None:
        raise ValueError("version.php has no $plugin->version = YYYYMMDDXX;")
    year, month, day, counter = (int(part) for part in found.groups())
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
    return deterministic_zip(files, dated=release_date((source / "version.php").read_text(encoding="utf-8")))


def write_plugin(out: Path) -> Path:
    """``out/local_coursepack.zip``, written atomically."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{moodle_plugin_dir().name}.zip"
    write_bytes_atomic(target, plugin_zip())
    return target
