"""Write files so that a reader never sees half of one: write beside it, then rename.

Written like a Unix tool writes: the mode follows the umask (``mkstemp`` alone would give 0600,
and a web server or a colleague could not read the packages), and the temporary file is named
after the writing process, so that a later run can tell a killed writer's leftover from a
concurrent writer's work in progress and sweep only the former.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

SUFFIX = ".part"
#: ``.<target name>.<pid>.<random>.part``; leftovers of the older ``.<name>.<random>.part`` match too.
_PART = re.compile(r"^\..+?(?:\.(?P<pid>\d+))?\.[^.]+\.part$")


def _umask() -> int:
    """The process's umask. Linux tells it in /proc without changing it (setting it to read it
    back would race with other threads creating files, as the preview's do)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomic(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` whole or not at all; an OSError always names ``target``.
    ``mode`` (0o600 for personal data) replaces the umask's: the file is never readable by others,
    not even for the instant between writing and renaming."""
    try:
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=SUFFIX)
    except OSError as exc:
        raise _naming(exc, target) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), 0o666 & ~_umask() if mode is None else mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _naming(exc, target) from exc
        raise


def _naming(exc: OSError, target: Path) -> OSError:
    """A failed write names no file (full disk) or the temporary one: say which file was meant."""
    return type(exc)(exc.errno, exc.strerror, str(target))


def write_text_atomic(target: Path, text: str, mode: int | None = None) -> None:
    write_bytes_atomic(target, text.encode("utf-8"), mode)


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write only when the content differs: a run that changes nothing leaves the folder untouched."""
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes_atomic(target, data)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


#: A ``.part`` file this old is a leftover whatever its pid says: no write of ours lasts an hour, and
#: a killed writer's pid may since have been given to another process.
STALE_AFTER = 3600.0


def sweep_leftovers(folder: Path, of: str | None = None) -> list[Path]:
    """Remove the temporary files that writers killed mid-write (SIGKILL, power cut) left behind.

    Only our own pattern (``.<name>.<pid>.<random>.part``), only ``of``'s when given (a folder
    that is not ours, such as the one holding the sync state), and only when no process can be
    writing it: its pid is dead, or it is older than ``STALE_AFTER``. Names without a pid (older
    versions) are leftovers by definition."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    now = time.time()
    for entry in entries:
        match = _PART.match(entry.name)
        if match is None or (of is not None and not entry.name.startswith(f".{of}.")):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
        except OSError:
            continue
        pid = match.group("pid")
        if pid is not None and not old and (int(pid) == os.getpid() or _alive(int(pid))):
            continue
        try:
            Path(entry.path).unlink(missing_ok=True)
        except OSError:  # a folder we may read but not write: the leftover stays, harmless
            continue
        removed.append(Path(entry.path))
    return removed
