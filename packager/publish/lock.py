"""One publish at a time per catalogue: a lease the plugin keeps (``local_coursepack_acquire_publish_lock``).

Two mediators publishing at once both planned "create" for the same activities, and Moodle got
each twice. The run now takes the catalogue's lease before it reads the site, renews it while it
works (a thread, every quarter of its duration), and gives it back at the end, on a fault and on
Ctrl-C. A run that finds the lease taken says by whom and since when, waits for it a bounded time,
then stops without changing anything. A holder that dies stops renewing: its lease expires.

The lease id is chosen here (random), so asking again after a lost answer renews our own lease.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from collections.abc import Callable

from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.moodle.functions import ACQUIRE_LOCK, RELEASE_LOCK
from packager.moodle.idnumbers import Namespace

#: Seconds a lease lasts unless renewed: a dead holder blocks the others this long at most.
LEASE_SECONDS = 120
#: Seconds between two tries of a waiting run.
POLL_SECONDS = 3.0


@dataclass(frozen=True)
class Holder:
    """Who holds the lease: the token's user's name, the machine it runs on, since when (epoch)."""

    name: str
    host: str
    since: int


class LockBusy(Exception):
    """Another run still held the lease when the wait was over."""

    def __init__(self, holder: Holder, waited: float) -> None:
        super().__init__(f"held by {holder.name} on {holder.host} since {holder.since}")
        self.holder = holder
        self.waited = waited


class LockLost(Exception):
    """Our lease expired and another run took it: stop before the next change."""

    def __init__(self, holder: Holder) -> None:
        super().__init__(f"lease taken over by {holder.name} on {holder.host}")
        self.holder = holder


class PublishLock:
    def __init__(self, client: MoodleClient, namespace: Namespace, *, host: str | None = None,
                 duration: int = LEASE_SECONDS, poll: float = POLL_SECONDS,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.namespace = namespace
        self.host = host if host is not None else socket.gethostname()
        self.duration = duration
        self.poll = poll
        self._sleep, self._clock = sleep, clock
        self.leaseid = secrets.token_hex(16)
        self.lost: Holder | None = None
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _ask(self, client: MoodleClient) -> tuple[bool, Holder]:
        answer = client.call(ACQUIRE_LOCK, **self._where(), leaseid=self.leaseid, host=self.host, duration=self.duration)
        return bool(answer["acquired"]), Holder(str(answer["name"]), str(answer["host"]), int(answer["since"]))

    def _where(self) -> dict[str, str]:
        return {"catalogue": self.namespace.catalogue} if self.namespace.catalogue else {}

    def acquire(self, wait: float, on_wait: Callable[[Holder, float], None] = lambda holder, wait: None) -> None:
        """Take the lease, waiting up to ``wait`` seconds for another run to finish; ``on_wait``
        is told once who holds it. Raises LockBusy when the wait is over."""
        start = self._clock()
        told = False
        while True:
            acquired, holder = self._ask(self.client)
            if acquired:
                break
            waited = self._clock() - start
            if not told:
                on_wait(holder, wait)
                told = True
            if waited >= wait:
                raise LockBusy(holder, waited)
            self._sleep(min(self.poll, wait - waited))
        self._renewer = threading.Thread(target=self._renew, args=(self.client.copy(),), daemon=True,
                                         name="publish-lease")
        self._renewer.start()

    def _renew(self, client: MoodleClient) -> None:
        """Renew until stopped; a renewal Moodle refuses means another run took the lease over."""
        while not self._stop.wait(self.duration / 4):
            try:
                acquired, holder = self._ask(client)
            except (MoodleError, MoodleUnreachable):
                continue  # the next renewal may get through; the lease lasts four times longer
            if not acquired:
                self.lost = holder
                return

    def check(self) -> None:
        """Between two changes: stop if the lease was lost."""
        if self.lost is not None:
            raise LockLost(self.lost)

    def release(self) -> None:
        """Give the lease back; when Moodle cannot be reached, it expires on its own."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=5)
        with contextlib.suppress(MoodleError, MoodleUnreachable):
            self.client.call(RELEASE_LOCK, **self._where(), leaseid=self.leaseid)
