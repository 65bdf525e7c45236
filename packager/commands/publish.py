"""The publish use case: the catalogue into Moodle, as a plan, then applied.

No printing here: what the mediator must see (the plan, a wait for another publish, progress) is
told to a ``PublishEvents`` object, and a refusal is a ``Stop`` with its reason; the CLI
(``packager/cli/publish.py``) puts both into words. The order of the checks is the point: every
reason to refuse (plugin version, functions, capabilities, cohorts, duplicates, package size) is
found before the first change, so a publish never stops half-way for a reason it could have seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from packager.packaging.pipeline import build_catalogue
from packager.commands import runtime_config
from packager.commands.catalogue_input import load_valid_catalogue
from packager.commands.errors import Stop
from packager.model.catalogue import Catalogue
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError
from packager.moodle.explain import PackageTooBig
from packager.moodle.functions import PUBLISH, installed_plugin_version, is_plugin_function
from packager.moodle.plugin_version import shipped_plugin
from packager.publish.access import Access, read_access
from packager.publish.apply import Outcome, Publisher
from packager.publish.lock import Holder, LockBusy, PublishLock
from packager.publish.plan import Plan, make_plan
from packager.publish.versions import VersionProblem, version_problem
from packager.publish.wanted import PACKAGE_FORMAT, Wanted, wanted_state
from packager.utils.course_urls import write_course_urls


@dataclass(frozen=True)
class Review:
    """What the mediator sees before anything changes: the plan and what it cannot do."""

    plan: Plan
    url: str
    #: course languages Moodle has no pack for (the language is then not forced)
    missing_languages: list[str] = field(default_factory=list)
    #: the token may not force a course's language at all
    no_language_capability: bool = False
    missing_capabilities: tuple[str, ...] = ()
    missing_cohorts: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        """Capabilities or cohorts missing: publishing would stop half-way."""
        return bool(self.missing_capabilities or self.missing_cohorts)


class PublishEvents(Protocol):
    """What a publish tells its caller while it runs (the CLI prints it)."""

    def review(self, review: Review, *, dry_run: bool) -> None: ...

    def waiting(self, holder: Holder, most: float) -> None: ...

    def applying(self, steps: int) -> None: ...

    def step_done(self) -> None: ...


@dataclass(frozen=True)
class Published:
    """How a publish ended: ``dry_run``, ``up_to_date`` (nothing to change, or another run changed
    it meanwhile) or ``done`` with what was changed."""

    status: str
    outcome: Outcome = field(default_factory=Outcome)


class VersionMismatch(Stop):
    """The plugin the database holds and the code the web server runs differ from what this tool
    ships: the CLI words it as ``doctor`` does."""

    def __init__(self, problem: VersionProblem) -> None:
        super().__init__("plugin_running")
        self.problem = problem


def _client(config: runtime_config.RuntimeConfig) -> MoodleClient:
    if not config.moodle_url:
        raise Stop("no_url", 2)
    if not config.moodle_token:
        raise Stop("no_token", 2)
    return MoodleClient(config.moodle_url, config.moodle_token)


def _service_ready(site: dict[str, Any]) -> str | None:
    """The plugin version the token's service lists, once every function publish needs is there."""
    available = {f["name"] for f in site.get("functions", [])}
    missing = [f for f in PUBLISH if f not in available]
    found = installed_plugin_version(site)
    shipped = shipped_plugin()
    if found is not None and found != str(shipped.version):
        raise Stop("plugin_version", found=found, wanted=f"{shipped.version} ({shipped.release})")
    plugin_missing = [f for f in missing if is_plugin_function(f)]
    if plugin_missing:  # what Moodle itself answers when the function is not installed
        raise MoodleError("invalidrecordunknown", "", plugin_missing[0])
    if missing:
        raise Stop("missing_functions", names=", ".join(missing))
    return found


def _review(plan: Plan, url: str, access: Access, wanted: Wanted) -> Review:
    languages = {course.lang for course in wanted.courses}
    return Review(plan, url, sorted(languages - access.installed_languages) if access.may_force_language else [],
                  not access.may_force_language, access.missing, access.missing_cohorts)


def _check_sizes(plan: Plan, site: dict[str, Any]) -> None:
    limit = int(site.get("usermaxuploadfilesize", -1) or -1)
    if limit <= 0:
        return
    for step in plan.steps:
        package = getattr(step.wanted, "package", None)
        if step.upload and package is not None and package.stat().st_size > limit:
            raise PackageTooBig(package.name, package.stat().st_size, limit)


def _record_urls(out: Path, moodle_url: str, catalogue: Catalogue, plan: Plan, ids: dict[str, int]) -> None:
    """Each course's Moodle page, in ``out/moodle-courses.json``: what the flyer's QR codes point at."""
    by_idnumber = {catalogue.namespace.course(course_id): course_id for course_id in [*catalogue.tools, *catalogue.jobs]}
    found: dict[str, int] = {}
    for step in plan.steps:
        if step.kind == "course" and step.idnumber in by_idnumber:
            moodle_id = ids.get(step.idnumber) or (int(step.current["id"]) if step.current else None)
            if moodle_id:
                found[by_idnumber[step.idnumber]] = moodle_id
    write_course_urls(out, moodle_url, found)


def _shown(review: Review, site: dict[str, Any], events: PublishEvents, *, dry_run: bool) -> bool:
    """Show the plan; whether there is something to apply (duplicates refuse the publish)."""
    _check_sizes(review.plan, site)
    events.review(review, dry_run=dry_run)
    if review.plan.duplicates and not dry_run:
        raise Stop("duplicates")
    return not dry_run and bool(review.plan.changes)


def publish(path: Path, events: PublishEvents, *, moodle_url: str | None, config_file: Path | None, out: Path,
            dry_run: bool, wait: float = 600, client: MoodleClient | None = None) -> Published:
    """``wait``: seconds to wait for another publish of the same catalogue to end.

    Raises ``Stop`` (and ``VersionMismatch``), ``InvalidCatalogue``, ``runtime_config.ConfigError``,
    ``LockLost``, Moodle's errors and ``PackageTooBig``: each is one line in the CLI."""
    client = client or _client(runtime_config.load(config_file, moodle_url))
    catalogue = load_valid_catalogue(path)
    build_catalogue(catalogue, PACKAGE_FORMAT, out)
    wanted = wanted_state(catalogue, out)
    assert catalogue.settings is not None
    site = client.call("core_webservice_get_site_info")
    found = _service_ready(site)
    cohorts = tuple(sorted({c.enrol_cohort for c in wanted.courses if c.enrol_cohort}))
    access = read_access(client, enrolment=catalogue.settings.moodle.enrolment.method == "self", cohorts=cohorts)
    problem = version_problem(int(found or 0), access.status)
    if problem is not None:  # the database is right, the code answering is not (or the reverse)
        raise VersionMismatch(problem)
    if (access.missing or access.missing_cohorts) and not dry_run:
        raise Stop("refused_access", missing=access.missing, cohorts=access.missing_cohorts)
    languages = access.forceable({course.lang for course in wanted.courses})
    plan = make_plan(client, wanted, languages=languages)
    if dry_run or not (plan.changes or plan.duplicates):  # reading needs no lock
        _shown(_review(plan, client.url, access, wanted), site, events, dry_run=dry_run)
        if not dry_run:
            _record_urls(out, client.url, catalogue, plan, {})
        return Published("dry_run" if dry_run else "up_to_date")
    lock = PublishLock(client, wanted.namespace)
    try:
        lock.acquire(wait, on_wait=events.waiting)
    except LockBusy:
        raise Stop("still_busy" if wait else "no_wait", wait=int(wait)) from None
    try:
        plan = make_plan(client, wanted, languages=languages)  # read again under the lease: another run may have published
        if not _shown(_review(plan, client.url, access, wanted), site, events, dry_run=False):
            _record_urls(out, client.url, catalogue, plan, {})  # another run published it meanwhile
            return Published("up_to_date")
        publisher = Publisher(client, languages=languages)

        def step_done(_step: object) -> None:
            events.step_done()
            lock.check()

        events.applying(len(plan.steps))
        outcome = publisher.apply(plan, on_step=step_done)
        _record_urls(out, client.url, catalogue, plan, publisher.ids)
    finally:
        lock.release()
    return Published("done", outcome)
