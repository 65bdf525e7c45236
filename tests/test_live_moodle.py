"""The same publish against a live Moodle with the plugin installed (MOODLE_URL, MOODLE_TOKEN)."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from packager.cli import cli

LIVE = os.environ.get("MOODLE_URL") and os.environ.get("MOODLE_TOKEN")


@pytest.mark.skipif(not LIVE, reason="MOODLE_URL and MOODLE_TOKEN are not set: no live Moodle to publish to")
def test_publish_to_a_live_moodle(tmp_path) -> None:
    runner = CliRunner()
    out = str(tmp_path / "dist")
    doctor = runner.invoke(cli, ["doctor", "--out", out])
    assert "✗" not in doctor.output.split("LRS")[0], doctor.output
    first = runner.invoke(cli, ["publish", "--out", out])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["publish", "--out", out])
    assert second.exit_code == 0 and "Moodle est déjà à jour." in second.output, second.output
    assert os.environ["MOODLE_TOKEN"] not in first.output + second.output
