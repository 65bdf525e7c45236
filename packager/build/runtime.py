"""The player's scripts, built: the small files of ``templates/player/src`` (one concern each, no
framework) joined in dependency order inside one function, so that a package still loads one
script per role and fetches nothing. ``tests/js`` tests each file on its own, in Node.

- ``player/player.js``: the page (every format), from ``src/``.
- ``player/tracker-xapi.js``: the LRS back-ends of the xAPI and cmi5 formats, from ``src/tracker/``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from packager.resources import templates_dir

#: Each file adds one namespace and uses only the ones before it.
PLAYER_SOURCES = ("format.js", "time.js", "responses.js", "codec.js", "scoring.js", "lms.js", "frame.js", "main.js")
TRACKER_SOURCES = ("launch.js", "queue.js", "lrs.js", "session.js", "xapi.js", "cmi5.js")

_PLAYER_HEAD = """/* CoursePack player: pages, quiz, resume state and tracking. No framework, nothing fetched.
 * Built from templates/player/src/ (format, time, responses, codec, scoring, lms, frame, main). */
(function () {
  "use strict";
  var CP = {};

"""
_TRACKER_HEAD = """/* CoursePack tracking back-ends that talk to an LRS: xAPI and cmi5. Credentials come only from
 * the launch; statements wait in a queue (localStorage) until the LRS has them, so a learner
 * offline in the field loses nothing. Built from templates/player/src/tracker/ (launch, queue,
 * lrs, session, xapi, cmi5). */
(function () {
  "use strict";
  var T = {};

"""
_TRACKER_TAIL = """
  window.CoursePackTrackers = window.CoursePackTrackers || {};
  window.CoursePackTrackers.xapi = T.xapi;
  window.CoursePackTrackers.cmi5 = T.cmi5;
}());
"""
#: built name → (folder under templates/player, sources, head, tail)
SCRIPTS = {
    "player.js": ("src", PLAYER_SOURCES, _PLAYER_HEAD, "}());\n"),
    "tracker-xapi.js": ("src/tracker", TRACKER_SOURCES, _TRACKER_HEAD, _TRACKER_TAIL),
}


@lru_cache(maxsize=8)
def _joined(name: str, folder: Path, stamp: tuple[int, ...]) -> bytes:
    _sub, sources, head, tail = SCRIPTS[name]
    parts = [(folder / source).read_text(encoding="utf-8").rstrip() + "\n" for source in sources]
    return (head + "\n".join(parts) + tail).encode("utf-8")


def script(name: str) -> bytes:
    """One built script as packages ship it (joined again when a source file changes)."""
    sub, sources, _head, _tail = SCRIPTS[name]
    folder = templates_dir() / "player" / sub
    return _joined(name, folder, tuple((folder / source).stat().st_mtime_ns for source in sources))


def player_script() -> bytes:
    return script("player.js")
