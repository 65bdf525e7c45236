"""The tests' one way to wait for something another process or thread does: ask again until the
answer is the one wanted, or the time is up. Never a fixed ``sleep``: a loaded machine makes a
fixed pause too short, an idle one makes it a waste."""

from __future__ import annotations

import time
from typing import TypeVar
from collections.abc import Callable

T = TypeVar("T")


def poll(probe: Callable[[], T], until: Callable[[T], object] = bool, *, timeout: float = 10, every: float = 0.2) -> T:
    """``probe()`` again every ``every`` seconds until ``until(answer)`` holds; the last answer.

    At the deadline the last answer is returned all the same, so that the caller's assertion
    says what was found rather than only "timed out"; ``assert poll(condition)`` waits for a
    condition."""
    deadline = time.monotonic() + timeout
    while True:
        answer = probe()
        if until(answer) or time.monotonic() >= deadline:
            return answer
        time.sleep(every)
