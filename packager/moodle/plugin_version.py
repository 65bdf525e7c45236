"""The companion plugin's version, read from its ``version.php``: the one place it is written.

The command line ships the plugin (``coursepack moodle-plugin``) and expects that very version to
answer on the site; the test double and the tests read it here too. A release changes
``$plugin->version`` (and ``$plugin->release``) in version.php, and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from packager.resources import moodle_plugin_dir


@dataclass(frozen=True)
class PluginVersion:
    #: ``$plugin->version``: YYYYMMDDXX, what Moodle stores and site info lists the functions with
    version: int
    #: ``$plugin->release``: the name people say ("1.2.0")
    release: str
    #: ``$plugin->requires``: the oldest Moodle (its ``$CFG->version``) the plugin installs on
    requires: int


def _assignment(version_php: str, name: str, value: str) -> str:
    found = re.search(rf"^\s*\$plugin->{name}\s*=\s*{value}\s*;", version_php, re.MULTILINE)
    if found is None:
        raise ValueError(f"version.php has no $plugin->{name} = …;")
    return found.group(1)


def parse_version_php(version_php: str) -> PluginVersion:
    """The three assignments as Moodle's installer reads them (a PHP file: a comment after the
    semicolon is allowed, a quoted or computed version is not what we write)."""
    return PluginVersion(int(_assignment(version_php, "version", r"(\d{10})")),
                         _assignment(version_php, "release", r"""['"]([^'"]*)['"]"""),
                         int(_assignment(version_php, "requires", r"(\d{10})")))


@lru_cache(maxsize=1)  # the shipped file does not change while the tool runs
def shipped_plugin() -> PluginVersion:
    """The version of the plugin this command line ships and expects on the site."""
    return parse_version_php((moodle_plugin_dir() / "version.php").read_text(encoding="utf-8"))
