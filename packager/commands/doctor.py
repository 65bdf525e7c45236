"""The doctor use case: is this Moodle (and the LRS) ready? The checks, in the order they matter.

Each floor checks what it knows: Moodle's readiness for publish in ``publish/readiness.py``, the
core functions sync falls back on in ``sync/readiness.py``, the contacts the report reads in
``report/readiness.py``, the LRS in ``lrs/checks.py``. This
gathers them; the CLI (``packager/cli/doctor.py``) prints one line per check with its fix.
"""

from __future__ import annotations

from pathlib import Path

from packager.packaging.pipeline import build_catalogue
from packager.commands import runtime_config
from packager.commands.locate import resolve_catalogue
from packager.lrs.checks import lrs_check
from packager.model.checks import validate_catalogue
from packager.model.format import JobPath, ToolCourse
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.publish.readiness import configuration_checks, moodle_checks
from packager.publish.wanted import PACKAGE_FORMAT
from packager.report.readiness import contacts_check
from packager.sync.readiness import core_sync_checks
from packager.utils.checks import Check


def diagnose(path: Path, *, moodle_url: str | None, config_file: Path | None, out: Path, lang: str = "fr",
             client: MoodleClient | None = None) -> list[Check]:
    """Every check, Moodle's first (the later ones only once Moodle answers and takes the token),
    the LRS last. The packages are built (into ``out``) to weigh them against Moodle's upload limit.

    Raises ``runtime_config.ConfigError``."""
    config = runtime_config.load(config_file, moodle_url)
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
        courses: list[ToolCourse | JobPath] = [*catalogue.tools.values(), *catalogue.jobs.values()]
        languages = {catalogue.course_language(c) for c in courses}
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
    return checks
