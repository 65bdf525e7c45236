"""How often and how patiently to repeat a request that may succeed later (Moodle, LRS).

urllib3's ``Retry`` does the counting, the backoff with jitter and the ``Retry-After`` reading;
this subclass only adds what a command-line tool needs: a cap on ``Retry-After`` (a server asking
for an hour must not hang a sync for an hour: it is then an error), no retry on 413 (the caller
splits the request instead), and an injectable sleep for the tests.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from urllib3.util import Retry as _Urllib3Retry

#: Status codes worth repeating: the request was not processed (429) or a gateway failed.
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class Retry(_Urllib3Retry):
    RETRY_AFTER_STATUS_CODES = frozenset({429, 503})
    DEFAULT_BACKOFF_MAX = 30.0

    def __init__(self, total: int | bool | None = 3, *, sleep: Callable[[float], None] = time.sleep,
                 retry_after_cap: float = 120.0, **kwargs: Any) -> None:
        kwargs.setdefault("backoff_factor", 0.5)
        kwargs.setdefault("backoff_jitter", 0.25)
        kwargs.setdefault("status_forcelist", RETRY_STATUSES)
        kwargs.setdefault("raise_on_status", False)
        kwargs.setdefault("raise_on_redirect", False)
        kwargs.setdefault("redirect", 0)
        # which calls may be repeated is the caller's choice (Transport: idempotent or not), not the verb's
        kwargs.setdefault("allowed_methods", None)
        super().__init__(total, **kwargs)
        self.sleeper = sleep
        self.retry_after_cap = retry_after_cap

    def new(self, **kw: Any) -> "Retry":
        new = super().new(**kw)
        new.sleeper, new.retry_after_cap = self.sleeper, self.retry_after_cap
        return new

    def once(self) -> "Retry":
        """The same patience for a request that changes something: repeated only when it surely
        was not processed (connection refused, 429), never after it may have reached the server."""
        return self.new(read=0, other=0, status_forcelist=frozenset({429}))

    def sleep_for_retry(self, response: Any) -> bool:
        retry_after = self.get_retry_after(response)
        if retry_after is None:
            return False
        self.sleeper(min(retry_after, self.retry_after_cap))
        return True

    def _sleep_backoff(self) -> None:
        backoff = self.get_backoff_time()
        if backoff > 0:
            self.sleeper(backoff)
