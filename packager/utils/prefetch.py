"""Read the next items of an iterator in a thread while the caller works on the current one.

The report pulls an LRS page by page: waiting for the LRS's answer and decoding it (which
releases the GIL in the socket, and runs beside SQLite's own work) is overlapped with storing
the page before it, instead of the two taking turns."""

from __future__ import annotations

import queue
import threading
from typing import TypeVar, cast
from collections.abc import Iterable, Iterator

T = TypeVar("T")
_END = object()


def prefetched(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """The items of ``items``, in order, at most ``depth`` read ahead. An exception the iterator
    raises is raised here, at the item where it happened; leaving the loop early (an error in
    the caller, a ``break``) stops the reader at its next item."""
    ready: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[object, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread as it is
            put((_END, exc))
            return
        put((_END, None))

    reader = threading.Thread(target=read, name="prefetch", daemon=True)
    reader.start()
    try:
        while True:
            item, error = ready.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield cast(T, item)
    finally:
        stop.set()
        reader.join(timeout=5)
