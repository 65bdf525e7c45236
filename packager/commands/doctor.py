"""``coursepack doctor``: is this Moodle (and LRS) ready? One line per check, with the fix."""

from __future__ import annotations

from pathlib import Path

import click

from packager.build.pipeline import build_catalogue
from packager.commands import runtime_config
from packager.commands.catalogue_input import resolve_catalogue
from packager.model.checks import validate_catalogue
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.publish.doctor import Check, configuration_checks, contacts_check, core_sync_checks, lrs_check, moodle_checks
from packager.publish.wanted import PACKAGE_FORMAT

_MARKS = {True: "✓", False: "✗", None: "–"}


def echo_check(check: Check) -> None:
    detail = f" : {check.detail}" if check.detail else ""
    colour = {True: "green", False: "red", None: "yellow"}[check.ok]
    click.echo(click.style(f"{_MARKS[check.ok]} {check.name}{detail}", fg=colour))
    if check.fix and check.ok is not True:
        click.echo(f"    → {check.fix}")


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, out: Path, lang: str = "fr",
        client: MoodleClient | None = None) -> int:
    try:
        config = runtime_config.load(config_file, moodle_url)
    except runtime_config.ConfigError as exc:
        click.echo(str(exc), err=True)
        return 2
    if client is None and config.moodle_url and config.moodle_token:
        client = MoodleClient(config.moodle_url, config.moodle_token, timeout=15)
    packages: list[Path] = []
    catalogue = validate_catalogue(resolve_catalogue(path)[0])
    if not catalogue.errors:
        built = build_catalogue(catalogue, PACKAGE_FORMAT, out)
        packages = built.built + built.unchanged
    if client is None:
        checks = configuration_checks(config.moodle_url, config.moodle_token, lang)
    else:
        languages = {catalogue.course_language(c) for c in (*catalogue.tools.values(), *catalogue.jobs.values())}
        settings = catalogue.settings.moodle.enrolment if catalogue.settings else None
        enrolment = settings is None or settings.method == "self"
        cohorts = tuple(sorted(set(settings.cohorts.values()))) if settings and enrolment else ()
        checks = moodle_checks(client, packages, lang, languages=languages, enrolment=enrolment, cohorts=cohorts)
        if all(check.ok is not False for check in checks[:3]):  # Moodle answers and takes the token
            try:
                checks += core_sync_checks(client, [catalogue.namespace.course(c) for c in (*catalogue.tools, *catalogue.jobs)], lang)
                checks.append(contacts_check(client, lang))
            except (MoodleError, MoodleUnreachable):
                pass  # already reported by the checks above
    checks.append(lrs_check(config.lrs_endpoint, config.lrs_username, config.lrs_password, lang))
    for check in checks:
        echo_check(check)
    return 1 if any(check.ok is False for check in checks) else 0
