"""The sync use case: learners' results from Moodle to the LRS as xAPI statements.

No printing here: progress and a reset are told to a ``SyncEvents`` object, a refusal is a
``Stop``, and the outcome is returned; the CLI (``packager/cli/sync.py``) words all of it. The
LRS's faults are turned into ``Stop`` here, with the endpoint they came from, because only here
is it known which LRS was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from packager.commands import runtime_config
from packager.commands.catalogue_input import load_valid_catalogue
from packager.commands.errors import Stop
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.moodle.client import MoodleClient
from packager.sync.engine import ActorChanged, SyncOutcome, SyncState, open_entry, retry_set_aside, sync
from packager.sync.limits import DEFAULT_BATCH
from packager.sync.state_file import StateUnreadable
from packager.sync.statements import ActorName, ActorPolicy
from packager.utils.reasons import Reason


class SyncEvents(Protocol):
    """What a sync tells its caller while it runs (the CLI prints it)."""

    def reset(self, key: str, recorded: str, wanted: str) -> None: ...

    def progress(self, done: int, total: int) -> None: ...


@dataclass(frozen=True)
class Synced:
    outcome: SyncOutcome
    form: str  # how learners are named: username, idnumber or email
    state: Path  # where the set-aside statements are kept


@dataclass(frozen=True)
class Retried:
    done: int
    still: list[dict[str, Any]]


def _clients(config: runtime_config.RuntimeConfig, moodle: MoodleClient | None,
             lrs: LrsClient | None) -> tuple[MoodleClient, LrsClient]:
    if moodle is None:
        if not (config.moodle_url and config.moodle_token):
            raise Stop("no_moodle", 2)
        moodle = MoodleClient(config.moodle_url, config.moodle_token)
    if lrs is None:
        if not config.lrs_endpoint:
            raise Stop("no_lrs", 2)
        lrs = LrsClient(config.lrs_endpoint, config.lrs_username, config.lrs_password)
    return moodle, lrs


def _lrs_stop(exc: LrsError | LrsUnavailable, endpoint: str) -> Stop:
    """``reason`` and ``detail`` stay ``Reason``s (or text) for the CLI to give in its language."""
    if isinstance(exc, LrsUnavailable):
        kind = exc.reason.kind if isinstance(exc.reason, Reason) else ""
        return Stop({"address": "lrs_address", "busy": "lrs_busy"}.get(kind, "lrs_down"), endpoint=endpoint, reason=exc.reason)
    if exc.status in (401, 403, 404):
        return Stop("lrs_refused", endpoint=endpoint, status=exc.status)
    return Stop("lrs_invalid", endpoint=endpoint, status=exc.status, detail=exc.detail)


def sync_results(path: Path, events: SyncEvents, *, moodle_url: str | None, config_file: Path | None, state: Path,
                 batch_size: int = DEFAULT_BATCH, dry_run: bool = False, actor_name: ActorName = "username",
                 email: bool = False, reset: bool = False, moodle: MoodleClient | None = None,
                 lrs: LrsClient | None = None) -> Synced:
    """Raises ``Stop``, ``ActorChanged``, ``StateUnreadable``, ``InvalidCatalogue``,
    ``runtime_config.ConfigError`` and Moodle's errors: each is one line in the CLI."""
    moodle, lrs = _clients(runtime_config.load(config_file, moodle_url), moodle, lrs)
    store = SyncState(state.expanduser())
    catalogue = load_valid_catalogue(path)
    actor = ActorPolicy(name=actor_name, email=email)
    try:
        if reset and not dry_run:
            _site, key, entry = open_entry(catalogue, moodle, lrs, store)
            old = store.reset(key, entry)
            events.reset(key, old.actor or "—", actor.form)
        outcome = sync(catalogue, moodle, lrs, store, actor, batch_size=batch_size, dry_run=dry_run,
                       fresh=reset and dry_run, on_batch=events.progress)
    except (LrsUnavailable, LrsError) as exc:
        raise _lrs_stop(exc, lrs.endpoint) from None
    return Synced(outcome, actor.form, store.path)


def retry_refused(path: Path, *, moodle_url: str | None, config_file: Path | None, state: Path,
                  batch_size: int = DEFAULT_BATCH, moodle: MoodleClient | None = None,
                  lrs: LrsClient | None = None) -> Retried:
    """Send again the statements the LRS refused earlier (``--retry-set-aside``)."""
    moodle, lrs = _clients(runtime_config.load(config_file, moodle_url), moodle, lrs)
    store = SyncState(state.expanduser())
    catalogue = load_valid_catalogue(path)
    try:
        done, still = retry_set_aside(catalogue, moodle, lrs, store, batch_size=batch_size)
    except (LrsUnavailable, LrsError) as exc:
        raise _lrs_stop(exc, lrs.endpoint) from None
    return Retried(done, still)


__all__ = ["ActorChanged", "Retried", "StateUnreadable", "SyncEvents", "Synced", "retry_refused", "sync_results"]
