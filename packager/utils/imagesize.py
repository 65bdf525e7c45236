"""The intrinsic size of an image file, read from its header (no imaging library needed).

The player writes ``width`` and ``height`` on every ``<img>`` so that the browser reserves the
image's space before it arrives: no layout shift on a slow phone connection.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

_SVG_NUMBER = r"\s*([0-9]*\.?[0-9]+)\s*(?:px)?\s*"


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when the format or the file does not say."""
    try:
        with path.open("rb") as file:
            head = file.read(262144)
    except OSError:
        return None
    return size_of(head, path.suffix)


def size_of(head: bytes, suffix: str) -> tuple[int, int] | None:
    """Like :func:`image_size`, from the file's first bytes (an image shrunk in memory)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp_size(head)
    if suffix.lower() == ".svg":
        return _svg_size(head.decode("utf-8", "replace"))
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _svg_size(text: str) -> tuple[int, int] | None:
    root = re.search(r"<svg\b[^>]*>", text, re.S)
    if not root:
        return None
    tag = root.group(0)
    width = re.search(r'\swidth\s*=\s*["\']' + _SVG_NUMBER + r'["\']', tag)
    height = re.search(r'\sheight\s*=\s*["\']' + _SVG_NUMBER + r'["\']', tag)
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(r'viewBox\s*=\s*["\']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["\']', tag)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return None
