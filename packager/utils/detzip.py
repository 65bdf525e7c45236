"""Zip archives that are byte-identical for identical content.

Building twice must give the same bytes (so that Moodle's sha1 comparison skips unchanged
packages): fixed timestamps, sorted entries, fixed permissions and compression.

A build writes the same player files (script, stylesheets) and often the same media into every
package; a ``Compressed`` store passed to each call deflates each distinct content once and
writes the same deflate stream into every zip. The archive is laid out exactly as ``zipfile``
lays it out (same headers, same deflate settings), so packages keep their bytes across versions.
"""

from __future__ import annotations

import datetime
import hashlib
import struct
import zlib

#: 1980-01-01 00:00:00, the earliest date a zip can say: packages carry no date at all
EPOCH = datetime.datetime(1980, 1, 1)
_LEVEL = 9
_UTF8_NAME = 0x800
_VERSION = 20  # deflate; made by Unix (3) so that the permission bits are honoured
_MADE_BY = (3 << 8) | _VERSION
_EXTERNAL = 0o644 << 16
_LIMIT = 0xFFFFFFFF  # beyond, zip64 would be needed: packages never come close
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def _deflate(data: bytes) -> bytes:
    """Raw deflate, as ``zipfile`` writes a ZIP_DEFLATED member at level 9."""
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class Compressed:
    """Members deflated once, kept by content digest for every archive of one run (a build).

    Up to ``budget`` bytes of compressed data are kept; beyond, contents are deflated as usual."""

    def __init__(self, budget: int = 256 * 1024 * 1024) -> None:
        self._kept: dict[bytes, tuple[int, bytes]] = {}
        self._budget = budget

    def get(self, data: bytes) -> tuple[int, bytes]:
        """(CRC-32, raw deflate stream) of ``data``."""
        key = hashlib.sha256(data).digest()
        found = self._kept.get(key)
        if found is None:
            found = (zlib.crc32(data), _deflate(data))
            if len(found[1]) <= self._budget:
                self._kept[key] = found
                self._budget -= len(found[1])
        return found


def dos_datetime(when: datetime.datetime) -> tuple[int, int]:
    """(time, date) in MS-DOS form, to the even second, as zip headers store them."""
    if not 1980 <= when.year <= 2107:
        raise ValueError(f"{when:%Y-%m-%d}: a zip can only date entries from 1980 to 2107")
    return ((when.hour << 11) | (when.minute << 5) | (when.second // 2),
            ((when.year - 1980) << 9) | (when.month << 5) | when.day)


def deterministic_zip(files: dict[str, bytes], compressed: Compressed | None = None, *,
                      dated: datetime.datetime = EPOCH) -> bytes:
    """The archive of ``files`` (path inside the zip → content), entries sorted by path, every
    entry dated ``dated``: unzip gives the files that date, so a caller that must let a file
    watcher (PHP's OPcache) see a new version passes a date that changes with the version."""
    store = compressed if compressed is not None else Compressed(budget=0)
    dos_time, dos_date = dos_datetime(dated)
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name in sorted(files):
        data = files[name]
        crc, deflated = store.get(data)
        encoded = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        if max(len(data), len(deflated), offset) >= _LIMIT:
            raise ValueError(f"{name}: too large for a zip without zip64")
        header = _LOCAL.pack(0x04034B50, _VERSION, flags, zlib.DEFLATED, dos_time, dos_date,
                             crc, len(deflated), len(data), len(encoded), 0)
        central.append(_CENTRAL.pack(0x02014B50, _MADE_BY, _VERSION, flags, zlib.DEFLATED, dos_time, dos_date,
                                     crc, len(deflated), len(data), len(encoded), 0, 0, 0, 0, _EXTERNAL, offset) + encoded)
        parts += (header, encoded, deflated)
        offset += len(header) + len(encoded) + len(deflated)
    directory = b"".join(central)
    end = _END.pack(0x06054B50, 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(parts) + directory + end
