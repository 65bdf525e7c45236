"""The companion plugin: PHP that parses, a service that holds every function the CLI calls,
and an installable zip whose top folder is the plugin's name."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from packager.cli import cli
from packager.moodle.functions import PLUGIN_VERSION, PUBLISH, SYNC, is_plugin_function

PLUGIN = REPO / "moodle" / "local_coursepack"
EXCHANGES = REPO.parent / "shared" / "moodle" / "exchanges"


def services() -> str:
    return (PLUGIN / "db" / "services.php").read_text(encoding="utf-8")


def recorded_functions() -> set[str]:
    names = set()
    for path in EXCHANGES.glob("*.json"):
        exchange = json.loads(path.read_text(encoding="utf-8"))
        names.add((exchange["request"].get("form") or {}).get("wsfunction", ""))
        if path.name.startswith("01-"):
            names.update(f["name"] for f in exchange["response"]["json"]["functions"])
    return names - {""}


def called_functions() -> set[str]:
    """Every function name the command line's code sends to Moodle."""
    pattern = re.compile(r"\"((?:core|mod|local|gradereport|enrol)_[a-z0-9]+_[a-z0-9_]+)\"")
    return {m for path in (REPO / "packager").rglob("*.py") for m in pattern.findall(path.read_text(encoding="utf-8"))}


def test_every_called_function_exists() -> None:
    declared = set(re.findall(r"'(local_coursepack_[a-z_]+)' => \[", services()))
    recorded = recorded_functions()
    called = called_functions() | set(PUBLISH) | set(SYNC)
    assert called, "the pattern must find the calls"
    missing = sorted(f for f in called if (f not in declared if is_plugin_function(f) else f not in recorded))
    assert missing == []


def test_the_prebuilt_service_lists_every_function() -> None:
    block = services().split("$services", 1)[1]
    listed = set(re.findall(r"'([a-z]+_[a-z0-9_]+)',", block))
    assert set(PUBLISH) | set(SYNC) <= listed


def test_plugin_version_matches_the_cli() -> None:
    version = re.search(r"\$plugin->version\s*=\s*(\d+);", (PLUGIN / "version.php").read_text(encoding="utf-8"))
    assert version and int(version.group(1)) == PLUGIN_VERSION


def test_every_string_in_both_languages() -> None:
    def keys(lang: str) -> set[str]:
        return set(re.findall(r"\$string\['([^']+)'\]", (PLUGIN / "lang" / lang / "local_coursepack.php").read_text(encoding="utf-8")))
    assert keys("en") == keys("fr") and {"pluginname", "privacy:metadata"} <= keys("en")
    used = {m for path in PLUGIN.rglob("*.php") for m in re.findall(r"'([a-z:]+)', 'local_coursepack'", path.read_text(encoding="utf-8"))}
    assert used <= keys("en")


def test_php_files_parse() -> None:
    php = shutil.which("php")
    if php is None:
        if os.environ.get("CI"):
            pytest.fail("php-cli is missing (make test installs it)")
        pytest.skip("php-cli is not installed (make test installs it)")
    files = sorted(PLUGIN.rglob("*.php"))
    assert len(files) >= 7
    for path in files:
        result = subprocess.run([php, "-l", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_installable_zip(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["moodle-plugin", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(tmp_path / "local_coursepack.zip").namelist()
    assert {n.split("/")[0] for n in names} == {"local_coursepack"}
    assert {"local_coursepack/version.php", "local_coursepack/db/services.php", "local_coursepack/README.md",
            "local_coursepack/classes/privacy/provider.php", "local_coursepack/lang/fr/local_coursepack.php"} <= set(names)
