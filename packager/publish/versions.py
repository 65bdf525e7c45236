"""Which plugin version really answers: the one the database holds, the one the web server runs,
and the one this command line expects.

After ``admin/cli/upgrade.php`` the database holds the new version, but PHP-FPM's OPcache may go on
running the old files (same mtime, or ``opcache.validate_timestamps=0``): the site then runs old
code on a new schema without a word. The plugin's ``get_status`` (from 2026120700) gives both the
database's version and its code's; an older plugin gives the database's only (site info lists it
with every function) and says nothing of its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packager.moodle.plugin_version import shipped_plugin


@dataclass(frozen=True)
class VersionProblem:
    """One difference, with what to do about it."""

    code: str  # "install" | "upgrade" | "reload"
    detail: dict[str, Any]


def version_problem(database: int | None, status: dict[str, Any] | None) -> VersionProblem | None:
    """``database``: the version site info lists the plugin's functions with (None: not installed);
    ``status``: the plugin's get_status answer, None when it could not be asked. Its ``dbversion``
    (read from the database by the plugin) wins over site info's, which Moodle computes through
    its caches and, right after an upgrade, may still give the old number. Expected: the version
    of the plugin this command line ships."""
    expected = shipped_plugin().version
    if database is None:
        return VersionProblem("install", {"wanted": expected})
    if status and status.get("dbversion"):
        database = int(status["dbversion"])
    code = int(status["codeversion"]) if status and status.get("codeversion") else None
    if database != expected:
        if code == expected:  # new files in place, the upgrade not run
            return VersionProblem("upgrade", {"database": database, "code": code})
        return VersionProblem("install", {"found": database, "wanted": expected})
    if status is None:
        return None  # nothing more can be known
    if code is None or code < database:
        return VersionProblem("reload", {"database": database, "code": code or "< 2026120700"})
    if code > database:
        return VersionProblem("upgrade", {"database": database, "code": code})
    return None
