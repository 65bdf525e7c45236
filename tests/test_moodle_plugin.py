"""The companion plugin: PHP that parses, a service that holds every function the CLI calls,
and an installable zip whose top folder is the plugin's name."""

from __future__ import annotations

import datetime
import io
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
from moodle_double import PLUGIN_VERSION
from packager.cli import cli
from packager.moodle.functions import PUBLISH, SYNC, is_plugin_function
from packager.moodle.plugin_version import parse_version_php, shipped_plugin

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


#: Core functions called although no exchange recorded them: checked by the live suite.
UNRECORDED_CORE = {"core_course_update_categories", "core_user_get_users_by_field"}


def test_every_called_function_exists() -> None:
    declared = set(re.findall(r"'(local_coursepack_[a-z_]+)' => \[", services()))
    recorded = recorded_functions() | UNRECORDED_CORE
    called = called_functions() | set(PUBLISH) | set(SYNC)
    assert called, "the pattern must find the calls"
    missing = sorted(f for f in called if (f not in declared if is_plugin_function(f) else f not in recorded))
    assert missing == []


def test_the_prebuilt_service_lists_every_function() -> None:
    block = services().split("$services", 1)[1]
    listed = set(re.findall(r"'([a-z]+_[a-z0-9_]+)',", block))
    assert set(PUBLISH) | set(SYNC) <= listed


def test_the_version_is_read_from_version_php_where_it_is_written_once() -> None:
    """It was written in five places (version.php, the client, the double, two test messages),
    two held equal by a test: a release now changes version.php only."""
    shipped = shipped_plugin()
    text = (PLUGIN / "version.php").read_text(encoding="utf-8")
    assert f"$plugin->version   = {shipped.version};" in text and f"$plugin->release   = '{shipped.release}';" in text
    assert f"$plugin->requires  = {shipped.requires};" in text
    assert str(shipped.version) == PLUGIN_VERSION  # the double's


def test_version_php_is_read_as_moodle_reads_it() -> None:
    php = ("<?php\ndefined('MOODLE_INTERNAL') || die();\n$plugin->component = 'local_coursepack';\n"
           "$plugin->version   = 2027010300; // a comment\n$plugin->requires = 2024100700;\n$plugin->release = '2.0.0';\n")
    assert parse_version_php(php) == type(shipped_plugin())(2027010300, "2.0.0", 2024100700)
    with pytest.raises(ValueError, match=r"\$plugin->release"):
        parse_version_php(php.replace("$plugin->release = '2.0.0';", ""))


def test_a_bumped_version_php_is_what_every_part_expects(tmp_path: Path, monkeypatch) -> None:
    """The one-line change a release makes: the client, the zip's dates and the double follow."""
    from packager.commands import moodle_plugin
    from packager.moodle import plugin_version
    from packager.publish.versions import version_problem

    copy = tmp_path / "local_coursepack"
    shutil.copytree(PLUGIN, copy)
    text = (copy / "version.php").read_text(encoding="utf-8")
    (copy / "version.php").write_text(text.replace(f"= {shipped_plugin().version};", "= 2027031501;"), encoding="utf-8")
    monkeypatch.setattr(plugin_version, "moodle_plugin_dir", lambda: copy)
    monkeypatch.setattr(moodle_plugin, "moodle_plugin_dir", lambda: copy)
    plugin_version.shipped_plugin.cache_clear()
    try:
        assert shipped_plugin().version == 2027031501
        assert version_problem(2027031501, {"dbversion": 2027031501, "codeversion": 2027031501}) is None
        assert version_problem(2026112800, None).code == "install"  # type: ignore[union-attr]
        dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(moodle_plugin.plugin_zip())).infolist()}
        assert dates == {(2027, 3, 15, 12, 1, 0)}
    finally:
        plugin_version.shipped_plugin.cache_clear()


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
    # Moodle's CLI upgrade refuses local_coursepack anywhere but local/coursepack/
    assert {n.split("/")[0] for n in names} == {"coursepack"}
    assert {"coursepack/version.php", "coursepack/db/services.php", "coursepack/README.md",
            "coursepack/classes/privacy/provider.php", "coursepack/lang/fr/local_coursepack.php"} <= set(names)


def test_zip_entries_are_dated_from_the_plugin_version(tmp_path: Path) -> None:
    """Every entry was dated 1980-01-01: unzip keeps the date, the upgraded files had the old
    ones' mtime, and PHP-FPM's OPcache (validate_timestamps) ran the old code after an upgrade."""
    day, counter = str(shipped_plugin().version)[:8], str(shipped_plugin().version)[8:]
    for out in ("a", "b"):
        assert CliRunner().invoke(cli, ["moodle-plugin", "--out", str(tmp_path / out)]).exit_code == 0
    first, second = ((tmp_path / out / "local_coursepack.zip").read_bytes() for out in ("a", "b"))
    assert first == second  # the same on every build
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    wanted = (int(day[:4]), int(day[4:6]), int(day[6:]), 12 + int(counter) // 60, int(counter) % 60, 0)
    assert dates == {wanted}


def test_an_upgrade_zip_is_newer_than_the_first_release_s(tmp_path: Path) -> None:
    """The zip of 0c9db5d (plugin 2026112800) dated every file 1980: any later zip must be newer,
    or unzipping over it leaves mtimes OPcache reads as unchanged."""
    from packager.commands.moodle_plugin import release_date
    from packager.utils.detzip import EPOCH

    assert release_date(2026112800) < release_date(shipped_plugin().version)
    assert CliRunner().invoke(cli, ["moodle-plugin", "--out", str(tmp_path)]).exit_code == 0
    entries = zipfile.ZipFile(tmp_path / "local_coursepack.zip").infolist()
    assert all(datetime.datetime(*info.date_time) > EPOCH for info in entries)


def source(name: str) -> str:
    return (PLUGIN / "classes" / "external" / f"{name}.php").read_text(encoding="utf-8")


def test_the_plugin_keeps_its_own_table_and_alters_no_core_table() -> None:
    """1.1.0 added indexes to mod_scorm's scorm_scoes_value (Moodle's schema check failed). The
    plugin's one table is declared in db/install.xml and created alike by its upgrade step; no
    file adds an index or a field to another table. What it does is proven live
    (tests/test_live_moodle.py: the schema check, attempts listed through the table)."""
    from lxml import etree

    tables = etree.parse(str(PLUGIN / "db" / "install.xml")).getroot().findall("TABLES/TABLE")
    assert [t.get("NAME") for t in tables] == ["local_coursepack_changes"]
    fields = [f.get("NAME") for f in tables[0].iter("FIELD")]
    assert fields == ["id", "attemptid", "scormid", "cmid", "timemodified"]
    assert {i.get("NAME"): i.get("FIELDS") for i in tables[0].iter("INDEX")} == {"timemodified-attemptid": "timemodified, attemptid"}
    upgrade = (PLUGIN / "db" / "upgrade.php").read_text(encoding="utf-8")
    assert re.findall(r"add_field\('([a-z]+)'", upgrade) == fields  # the same table on install and upgrade
    for path in PLUGIN.rglob("*.php"):
        # the database manager's add_index (1.1.0's); a new table's own indexes are $table->add_index
        assert not re.search(r"(dbman|get_manager\(\))->add_index\(", path.read_text(encoding="utf-8")), path


def test_readme_lists_every_capability_and_both_installs() -> None:
    from packager.moodle.functions import (
        CONTACT_CAPABILITIES,
        ENROLMENT_CAPABILITIES,
        LANGUAGE_CAPABILITY,
        PUBLISH_CAPABILITIES,
        SYNC_CAPABILITIES,
    )

    readme = (PLUGIN / "README.md").read_text(encoding="utf-8")
    for capability in (*PUBLISH_CAPABILITIES, LANGUAGE_CAPABILITY, *ENROLMENT_CAPABILITIES, *SYNC_CAPABILITIES,
                       *CONTACT_CAPABILITIES):
        assert f"`{capability}`" in readme, capability
    assert "admin/cli/upgrade.php" in readme and "local/coursepack" in readme
