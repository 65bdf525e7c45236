"""The same publish against a live Moodle with the plugin installed (MOODLE_URL, MOODLE_TOKEN).

Run against a test site: it publishes the embedded catalogue, then an edited copy, then the
catalogue again. Skipped, saying why, when the variables are unset (CI has no Moodle).
"""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from conftest import COURSES
from packager.cli import cli
from packager.moodle.client import MoodleClient
from packager.moodle.functions import GET_STATE

LIVE = os.environ.get("MOODLE_URL") and os.environ.get("MOODLE_TOKEN")
pytestmark = pytest.mark.skipif(not LIVE, reason="MOODLE_URL and MOODLE_TOKEN are not set: no live Moodle to publish to")

EDITED_MODULE = "coursepack:conges-absences/poser-un-conge"


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert os.environ["MOODLE_TOKEN"] not in result.output
    return result


def revisions() -> dict[str, set[int]]:
    state = MoodleClient(os.environ["MOODLE_URL"], os.environ["MOODLE_TOKEN"]).call(GET_STATE)
    found: dict[str, set[int]] = {}
    for activity in state["activities"]:
        found.setdefault(activity["idnumber"], set()).add(activity["revision"])
    return found


def test_doctor_all_green(tmp_path) -> None:
    doctor = invoke("doctor", "--out", str(tmp_path / "dist"))
    assert "✗" not in doctor.output.split("– LRS")[0], doctor.output


def test_publish_then_republish_writes_nothing(tmp_path) -> None:
    first = invoke("publish", "--out", str(tmp_path / "dist"))
    assert first.exit_code == 0, first.output
    # another output folder: nothing about the site is remembered there
    second = invoke("publish", "--out", str(tmp_path / "other"))
    assert second.exit_code == 0 and "Moodle est déjà à jour." in second.output, second.output


def test_one_page_edited_gives_one_upload_and_a_new_revision(tmp_path) -> None:
    assert invoke("publish", "--out", str(tmp_path / "dist")).exit_code == 0
    before = revisions()[EDITED_MODULE]
    catalogue = tmp_path / "courses"
    shutil.copytree(COURSES, catalogue)
    course = catalogue / "outils" / "conges-absences.yml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "Faites votre demande **au moins 15 jours avant**", "Faites votre demande **au moins trois semaines avant**"),
        encoding="utf-8")
    try:
        edited = invoke("publish", str(catalogue), "--out", str(tmp_path / "edited"))
        assert edited.exit_code == 0, edited.output
        assert "paquets déposés 1." in edited.output, edited.output
        assert revisions()[EDITED_MODULE] == {max(before) + 1}
    finally:  # the site back to the embedded catalogue: one more upload, one more revision
        restored = invoke("publish", "--out", str(tmp_path / "dist"))
        assert restored.exit_code == 0, restored.output
