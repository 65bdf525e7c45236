"""The player's script, ``player/player.js``: the small files of ``templates/player/src`` (one
concern each, no framework) joined in dependency order inside one function at build time, so
that a package still loads one script and fetches nothing. ``tests/js`` tests each file alone."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from packager.resources import templates_dir

#: Each file adds one namespace to ``CP`` and uses only the ones before it.
PLAYER_SOURCES = ("text.js", "time.js", "responses.js", "codec.js", "scoring.js", "lms.js", "main.js")

_HEAD = """/* CoursePack player: pages, quiz, resume state and tracking. No framework, nothing fetched.
 * Built from templates/player/src/ (text, time, responses, codec, scoring, lms, main). */
(function () {
  "use strict";
  var CP = {};

"""
_TAIL = "}());\n"


@lru_cache(maxsize=4)
def _joined(folder: Path, stamp: tuple[float, ...]) -> bytes:
    parts = [(folder / name).read_text(encoding="utf-8").rstrip() + "\n" for name in PLAYER_SOURCES]
    return (_HEAD + "\n".join(parts) + _TAIL).encode("utf-8")


def player_script() -> bytes:
    """``player.js`` as every package ships it (rebuilt when a source file changes)."""
    folder = templates_dir() / "player" / "src"
    return _joined(folder, tuple((folder / name).stat().st_mtime_ns for name in PLAYER_SOURCES))
