"""Several catalogues on one Moodle: each owns its namespace of ID numbers and short names, and
neither sees, renames nor takes over the other's categories, courses or activities."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import COURSES, SETTINGS, TOOL, validate
from packager.cli import cli
from packager.moodle.idnumbers import Namespace
from test_publish import TOKEN, served, snapshot


def second_catalogue(tmp_path: Path, catalogue_id: str = "rh", root: str = "Formations RH") -> Path:
    copy = tmp_path / catalogue_id
    shutil.copytree(COURSES, copy)
    settings = copy / "catalogue.yml"
    text = settings.read_text(encoding="utf-8").replace("site_name:", f"id: {catalogue_id}\nsite_name:", 1)
    settings.write_text(text.replace("root: Formations numériques", f"root: {root}"), encoding="utf-8")
    return copy


def publish(url: str, catalogue: Path, out: Path):
    result = CliRunner().invoke(cli, ["publish", str(catalogue), "--moodle-url", url, "--out", str(out)],
                                env={"MOODLE_TOKEN": TOKEN, "COURSEPACK_CONFIG": str(out.parent / "none.toml")})
    assert TOKEN not in result.output
    return result


def test_two_catalogues_on_one_site_leave_each_other_alone(tmp_path) -> None:
    """The category ID numbers were fixed (coursepack:root|tools|jobs): a second catalogue renamed
    the first one's categories and took them over."""
    rh = second_catalogue(tmp_path)
    with served() as (double, url):
        assert publish(url, COURSES, tmp_path / "d1").exit_code == 0
        first = snapshot(double)
        result = publish(url, rh, tmp_path / "d2")
        assert result.exit_code == 0, result.output
        after = snapshot(double)
        # the default catalogue's objects are as they were
        assert set(first["categories"]) <= set(after["categories"])
        assert set(first["courses"]) <= set(after["courses"])
        assert set(first["activities"]) <= set(after["activities"])
        ours = [c for c in after["categories"] if c not in first["categories"]]
        assert ours == [("coursepack:rh:jobs", "Par métier", "coursepack:rh:root"),
                        ("coursepack:rh:root", "Formations RH", None),
                        ("coursepack:rh:tools", "Par outil", "coursepack:rh:root")]
        assert ("coursepack:rh:messagerie", "rh-messagerie", "La messagerie électronique", "coursepack:rh:tools") in after["courses"]
        assert len(after["courses"]) == 2 * len(first["courses"])
        assert len(after["activities"]) == 2 * len(first["activities"])
        # each is up to date on its own, and neither plans anything for the other
        for catalogue, out in ((COURSES, "d1"), (rh, "d2")):
            again = publish(url, catalogue, tmp_path / out)
            assert again.exit_code == 0 and "Moodle est déjà à jour." in again.output, again.output
        assert snapshot(double) == after


def test_get_state_lists_one_catalogue_only(tmp_path) -> None:
    with served() as (double, url):
        assert publish(url, second_catalogue(tmp_path), tmp_path / "d").exit_code == 0
        default = double.ws_local_coursepack_get_state()
        named = double.ws_local_coursepack_get_state(catalogue="rh")
        assert default == {"categories": [], "courses": [], "activities": []}
        assert named["courses"] and all(c["idnumber"].startswith("coursepack:rh:") for c in named["courses"])
        assert double.ws_local_coursepack_get_state(catalogue="rh-2") == {"categories": [], "courses": [], "activities": []}


def test_catalogue_id_is_validated(catalogue_dir) -> None:
    for bad, code in (("RH", "value.slug"), ("r:h", "value.slug"), ("a" * 21, "value.too_long")):
        catalogue = validate(catalogue_dir({"outils/x.yml": TOOL}, settings=f"id: '{bad}'\n" + SETTINGS))
        assert [p.code for p in catalogue.problems] == [code], bad
    catalogue = validate(catalogue_dir({"outils/x.yml": TOOL}, settings="id: rh\n" + SETTINGS))
    assert catalogue.problems == [] and catalogue.namespace == Namespace("rh")
    assert validate(catalogue_dir({"outils/x.yml": TOOL})).namespace == Namespace()  # absent: the default catalogue


def test_the_namespace_counts_in_moodle_s_limits(catalogue_dir) -> None:
    """An ID number that fits alone may not fit with the catalogue's prefix (course_modules.idnumber: 100)."""
    course, module = "c" * 40, "m" * (100 - len("coursepack:/") - 40)  # exactly 100 in the default catalogue
    tool = TOOL.replace("id: outil", f"id: {course}").replace("id: module-a", f"id: {module}")
    assert [p.code for p in validate(catalogue_dir({"outils/x.yml": tool})).problems] == []
    named = validate(catalogue_dir({"outils/x.yml": tool}, settings="id: rh\n" + SETTINGS))
    assert {p.code for p in named.problems} == {"moodle.too_long"}
