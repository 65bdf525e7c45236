"""How often and how patiently to repeat a request that may succeed later (Moodle, LRS).

The policy, written here once (docs/architecture.md, "Retry policy", quotes it):

- What is repeated. A call safe to repeat (it only reads, or its effect is keyed by our own
  id): a refused or cut connection, a read that timed out, and the answers 429, 500, 502, 503
  and 504. A call that changes something: only when it surely was not processed (the connection
  was refused, or 429 "too many requests"); never once it may have reached the server. A 413 is
  never repeated: the caller splits its request instead.
- How often. ``total`` repeats (3 by default, so 4 tries), the first one at once, then after an
  exponential backoff (``backoff_factor`` 1 s: 2 s, 4 s, …, at most ``backoff_max`` 30 s, plus up
  to 0.25 s of jitter so that parallel clients do not come back together).
- ``Retry-After`` (429, 503) is honoured instead of the backoff.
- How long. Never past the call's deadline (``within``): a wait (backoff or ``Retry-After``)
  that would end after it is not waited; the last answer is returned at once, and the transport
  reports it (a ``Retry-After`` of an hour says when the server asks to come back).

Everything goes through urllib3's public ``Retry`` interface: constructor parameters, and the
documented methods ``new``, ``is_retry``, ``increment`` and ``sleep``. The sleep and the clock
are injectable so that tests neither wait nor depend on the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util import Retry as _Urllib3Retry

#: Answers worth repeating for a call safe to repeat: not processed (429), or the server failed.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Answers worth repeating for a call that changes something: surely not processed.
RETRY_STATUSES_ONCE = frozenset({429})
#: Answers that are never repeated, whatever their ``Retry-After``: the caller splits the request.
NEVER_REPEATED = frozenset({413})
#: Longest ``Retry-After`` read as it is (urllib3 caps at 6 h; a week keeps the server's word).
RETRY_AFTER_MAX = 7 * 24 * 3600


class Retry(_Urllib3Retry):
    """urllib3's ``Retry`` with the policy of the module docstring and a deadline per call."""

    def __init__(self, total: int | bool | None = 3, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, give_up_at: float | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("backoff_factor", 1.0)
        kwargs.setdefault("backoff_jitter", 0.25)
        kwargs.setdefault("backoff_max", 30.0)
        kwargs.setdefault("status_forcelist", RETRY_STATUSES)
        kwargs.setdefault("respect_retry_after_header", True)
        kwargs.setdefault("retry_after_max", RETRY_AFTER_MAX)
        kwargs.setdefault("raise_on_status", False)
        kwargs.setdefault("raise_on_redirect", False)
        kwargs.setdefault("redirect", 0)
        # which calls may be repeated is the caller's choice (Transport: idempotent or not), not the verb's
        kwargs.setdefault("allowed_methods", None)
        super().__init__(total, **kwargs)
        self.sleeper = sleep
        self.clock = clock
        self.give_up_at = give_up_at

    def new(self, **kw: Any) -> Retry:
        kw.setdefault("sleep", self.sleeper)
        kw.setdefault("clock", self.clock)
        kw.setdefault("give_up_at", self.give_up_at)
        return super().new(**kw)

    def once(self) -> Retry:
        """The same patience for a request that changes something (see the module docstring)."""
        return self.new(read=0, other=0, status_forcelist=RETRY_STATUSES_ONCE)

    def within(self, seconds: float) -> Retry:
        """This policy for one call that must be over in ``seconds`` from now."""
        return self.new(give_up_at=self.clock() + seconds)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code in NEVER_REPEATED:
            return False
        return super().is_retry(method, status_code, has_retry_after)

    def wait(self, response: Any = None) -> float:
        """Seconds to wait before the next try: the server's ``Retry-After``, else the backoff."""
        if response is not None and self.respect_retry_after_header:
            try:
                retry_after = self.get_retry_after(response)
            except InvalidHeader:  # a Retry-After that is neither seconds nor a date: the backoff
                retry_after = None
            if retry_after is not None:
                return retry_after
        return self.get_backoff_time()

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> Retry:
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        if new.give_up_at is not None and new.clock() + new.wait(response) > new.give_up_at:
            # urllib3 then returns the last answer (raise_on_status is off) or raises the last error
            raise MaxRetryError(_pool, url or "", error or ResponseError("no time left for another try"))
        return new

    def sleep(self, response: Any = None) -> None:
        seconds = self.wait(response)
        if seconds > 0:
            self.sleeper(seconds)
