"""``coursepack doctor`` on the command line: one coloured line per check, with the fix under it.

The use case is ``packager.commands.doctor``; this module only parses and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from packager.cli.options import CONFIG, LANG, MOODLE_URL, PATH, choose_catalogue

if TYPE_CHECKING:
    from packager.moodle.client import MoodleClient
    from packager.utils.checks import Check

_MARKS = {True: "✓", False: "✗", None: "–"}


def echo_check(check: Check) -> None:
    detail = f" : {check.detail}" if check.detail else ""
    colour = {True: "green", False: "red", None: "yellow"}[check.ok]
    click.echo(click.style(f"{_MARKS[check.ok]} {check.name}{detail}", fg=colour))
    if check.fix and check.ok is not True:
        click.echo(f"    → {check.fix}")


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, out: Path, lang: str = "fr",
        client: MoodleClient | None = None) -> int:
    """Diagnose and print; exit code 1 when a check fails, 2 on an unreadable configuration."""
    from packager.commands import runtime_config
    from packager.commands.doctor import diagnose

    try:
        checks = diagnose(path, moodle_url=moodle_url, config_file=config_file, out=out, lang=lang, client=client)
    except runtime_config.ConfigError as exc:
        click.echo(exc.message(lang), err=True)
        return 2
    for check in checks:
        echo_check(check)
    return 1 if any(check.ok is False for check in checks) else 0


@click.command()
@click.argument("path", type=PATH, required=False)
@MOODLE_URL
@CONFIG
@click.option("--out", type=PATH, default=Path("dist"), show_default=True, help="Folder for the SCORM 1.2 packages.")
@LANG
def doctor(path: Path | None, moodle_url: str | None, config_file: Path | None, out: Path, lang: str) -> None:
    """Check that Moodle and the LRS are ready, one line per check with the fix."""
    sys.exit(run(choose_catalogue(path, lang), moodle_url=moodle_url, config_file=config_file, out=out, lang=lang))
