"""The player's scripts and stylesheets, built: the small files of ``templates/player/src`` (one
concern each, no framework) joined in dependency order inside one function, so that a package
still loads one script per role and fetches nothing; then minified, because Moodle serves package
files through ``pluginfile.php`` and many sites send them uncompressed to phones on a weak network.
``tests/js`` tests each file on its own, in Node, as written and minified.

- ``player/player.js``: the page (every format), from ``src/``.
- ``player/tracker-xapi.js``: the LRS back-ends of the xAPI and cmi5 formats, from ``src/tracker/``.
- ``player.css`` and ``memo.css`` go inside each page (``<style>``): the first page paints from the
  HTML alone, and the fiche mémo's print styles (``media="print"``) never hold the screen back.

Minified with rjsmin and rcssmin (pure Python, no Node at build time): whitespace and comments
only, no renaming, the same bytes on every build.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import rcssmin
import rjsmin

from packager.resources import templates_dir

#: The join order, the one list of each script's files: each file adds one namespace (``CP.x`` or
#: ``T.x``) and uses only the ones before it; tests/test_player_sources.py checks both, and that
#: every file of the folder is listed.
PLAYER_SOURCES = ("format.js", "time.js", "responses.js", "codec.js", "scoring.js", "lms.js", "frame.js", "dom.js",
                  "tracking.js", "rules.js", "answers.js", "saving.js", "quiz.js", "pages.js", "main.js")
TRACKER_SOURCES = ("launch.js", "queue.js", "lrs.js", "session.js", "xapi.js", "cmi5.js")


def _listed(sources: tuple[str, ...]) -> str:
    return ", ".join(source.removesuffix(".js") for source in sources)


_PLAYER_HEAD = """(function () {
  "use strict";
  var CP = {};

"""
_TRACKER_HEAD = """(function () {
  "use strict";
  var T = {};

"""
_TRACKER_TAIL = """
  window.CoursePackTrackers = window.CoursePackTrackers || {};
  window.CoursePackTrackers.xapi = T.xapi;
  window.CoursePackTrackers.cmi5 = T.cmi5;
}());
"""
#: built name → (folder under templates/player, sources, banner, head, tail). The banner is the
#: only comment a minified script keeps: where it comes from.
SCRIPTS = {
    "player.js": ("src", PLAYER_SOURCES, "/* CoursePack player: pages, quiz, resume state and tracking. Minified;"
                  f" sources in templates/player/src/ ({_listed(PLAYER_SOURCES)}). */\n",
                  _PLAYER_HEAD, "}());\n"),
    "tracker-xapi.js": ("src/tracker", TRACKER_SOURCES, "/* CoursePack tracking back-ends that talk to an LRS: xAPI and cmi5."
                        f" Minified; sources in templates/player/src/tracker/ ({_listed(TRACKER_SOURCES)}). */\n",
                        _TRACKER_HEAD, _TRACKER_TAIL),
}
#: Stylesheets of ``templates/player``, minified into the pages.
STYLESHEETS = ("player.css", "memo.css")
#: What decides the minified bytes besides the sources (part of the build's inputs).
MINIFIERS = f"rjsmin {rjsmin.__version__}, rcssmin {rcssmin.__version__}"


def minify_js(source: str) -> str:
    """Comments and whitespace out; names and statements as written."""
    return str(rjsmin.jsmin(source)).strip() + "\n"


def minify_css(source: str) -> str:
    return str(rcssmin.cssmin(source)).strip()


@lru_cache(maxsize=8)
def _joined(name: str, folder: Path, stamp: tuple[int, ...]) -> bytes:
    _sub, sources, banner, head, tail = SCRIPTS[name]
    parts = [(folder / source).read_text(encoding="utf-8").rstrip() + "\n" for source in sources]
    return (banner + minify_js(head + "\n".join(parts) + tail)).encode("utf-8")


def script(name: str) -> bytes:
    """One built script as packages ship it (built again when a source file changes)."""
    sub, sources, *_rest = SCRIPTS[name]
    folder = templates_dir() / "player" / sub
    return _joined(name, folder, tuple((folder / source).stat().st_mtime_ns for source in sources))


def player_script() -> bytes:
    return script("player.js")


@lru_cache(maxsize=8)
def _minified_css(file: Path, stamp: int) -> str:
    return minify_css(file.read_text(encoding="utf-8"))


def stylesheet(name: str) -> str:
    """One of ``STYLESHEETS``, minified, as pages carry it inside ``<style>``."""
    if name not in STYLESHEETS:
        raise KeyError(name)
    file = templates_dir() / "player" / name
    return _minified_css(file, file.stat().st_mtime_ns)


def minified_sources(target: Path) -> Path:
    """Every source file of the scripts, each minified on its own, under ``target`` as in
    ``templates/player/src``: what the Node tests load to prove the minified code behaves."""
    for sub, sources, *_rest in SCRIPTS.values():
        folder = templates_dir() / "player" / sub
        out = target / Path(sub).relative_to("src")
        out.mkdir(parents=True, exist_ok=True)
        for source in sources:
            (out / source).write_text(minify_js((folder / source).read_text(encoding="utf-8")), encoding="utf-8")
    return target
